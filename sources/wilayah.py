"""wilayah: Kemendagri region codes of the satker (kabupaten, kecamatan, desa, kelurahan)."""

from sources.model import Column, Kind, Source

SOURCE = Source(
    name="wilayah",
    title="Wilayah administrasi (kode Kemendagri) satker: kabupaten, kecamatan, desa, kelurahan",
    feeds="referensi untuk IKU-4 dan IKU-6",
    origin="Kepmendagri kode dan data wilayah administrasi pemerintahan",
    key=("Kode Wilayah",),
    freshness_days=400,
    columns=(
        Column(
            "Kode Wilayah",
            Kind.CODE,
            "Kode wilayah Kemendagri tanpa titik, mis. 6204012001",
            aliases=("kode", "kode kemendagri"),
            required=True,
            nullable=False,
        ),
        Column(
            "Nama Wilayah",
            Kind.TEXT,
            "Nama wilayah",
            aliases=("nama",),
            required=True,
            nullable=False,
        ),
        Column(
            "Tingkat",
            Kind.CHOICE,
            "Tingkat wilayah: kabupaten, kecamatan, desa, atau kelurahan",
            aliases=("level", "jenis wilayah"),
            required=True,
            nullable=False,
            choices=("kabupaten", "kecamatan", "desa", "kelurahan"),
            choice_aliases=(("kab", "kabupaten"), ("kec", "kecamatan"), ("kel", "kelurahan")),
        ),
    ),
)
