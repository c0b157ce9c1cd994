"""pemilih: quarterly continuous voter-data update (PDPB) per desa (IKU-4)."""

from sources.checks import balance, desa_known
from sources.model import Check, Column, Kind, Source


def _count(name: str, what: str, sex: str) -> Column:
    return Column(
        name, Kind.INTEGER, f"Jumlah {what}, {sex}", required=True, nullable=False, minimum=0
    )


SOURCE = Source(
    name="pemilih",
    title="Rekapitulasi pemutakhiran data pemilih berkelanjutan (PDPB) per desa/kelurahan",
    feeds="IKU-4",
    origin="SIDALIH (rekapitulasi PDPB per triwulan)",
    key=("Tahun", "Triwulan", "Kode Desa"),
    freshness_days=100,
    checks=(
        desa_known(),
        *(
            Check(
                f"pdpb_tidak_seimbang_{sex.lower()}",
                "error",
                f"Pemilih Akhir {sex} tidak sama dengan Awal + Baru − TMS ({sex}); "
                "periksa rekapitulasi di SIDALIH",
                f"Pemilih Akhir {sex}",
                balance(f"pemilih_awal_{s}", f"pemilih_baru_{s}", f"tms_{s}", f"pemilih_akhir_{s}"),
            )
            for sex, s in (("L", "l"), ("P", "p"))
        ),
    ),
    columns=(
        Column("Tahun", Kind.YEAR, "Tahun pemutakhiran", required=True, nullable=False),
        Column(
            "Triwulan",
            Kind.QUARTER,
            "Triwulan pemutakhiran, 1 sampai 4",
            aliases=("tw",),
            required=True,
            nullable=False,
        ),
        Column(
            "Kode Desa",
            Kind.CODE,
            "Kode Kemendagri desa/kelurahan",
            aliases=("kode kelurahan", "kode desa/kelurahan", "kode wilayah"),
            required=True,
            nullable=False,
        ),
        Column("Nama Desa", Kind.TEXT, "Nama desa/kelurahan", aliases=("desa", "desa/kelurahan")),
        _count("Pemilih Awal L", "pemilih awal", "laki-laki"),
        _count("Pemilih Awal P", "pemilih awal", "perempuan"),
        _count("Pemilih Baru L", "pemilih baru", "laki-laki"),
        _count("Pemilih Baru P", "pemilih baru", "perempuan"),
        _count("TMS L", "pemilih tidak memenuhi syarat (TMS)", "laki-laki"),
        _count("TMS P", "pemilih tidak memenuhi syarat (TMS)", "perempuan"),
        Column("Perbaikan Data", Kind.INTEGER, "Jumlah perbaikan elemen data", minimum=0),
        _count("Pemilih Akhir L", "pemilih akhir", "laki-laki"),
        _count("Pemilih Akhir P", "pemilih akhir", "perempuan"),
        Column(
            "Tanggal Pleno",
            Kind.DATE,
            "Tanggal rapat pleno terbuka rekapitulasi",
            required=True,
            nullable=False,
        ),
    ),
)
