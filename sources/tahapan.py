"""tahapan: election stages with their schedule and when they really ran (IKU-1)."""

from sources.model import Column, DateOrder, Kind, Source

SOURCE = Source(
    name="tahapan",
    title="Tahapan pemilu/pemilihan: jadwal dan realisasi pelaksanaan",
    feeds="IKU-1",
    origin="Laporan pelaksanaan tahapan KPU Kabupaten",
    key=("Kode Tahapan",),
    item_columns=("Jadwal Selesai",),
    freshness_days=35,
    date_order=(
        DateOrder("Jadwal Mulai", "Jadwal Selesai"),
        DateOrder("Realisasi Mulai", "Realisasi Selesai"),
    ),
    columns=(
        Column(
            "Kode Tahapan",
            Kind.TEXT,
            "Kode unik tahapan",
            aliases=("kode", "no tahapan"),
            required=True,
            nullable=False,
        ),
        Column("Nama Tahapan", Kind.TEXT, "Nama tahapan", aliases=("tahapan", "uraian tahapan")),
        Column(
            "Jenis Pemilihan",
            Kind.CHOICE,
            "Jenis pemilihan tahapan ini",
            aliases=("pemilihan",),
            choices=("Pemilu 2024", "Pilkada 2024"),
            open_choices=True,
            elections=True,
        ),
        Column(
            "Jadwal Mulai",
            Kind.DATE,
            "Tanggal mulai tahapan menurut jadwal (PKPU)",
            required=True,
            nullable=False,
        ),
        Column(
            "Jadwal Selesai",
            Kind.DATE,
            "Tanggal selesai tahapan menurut jadwal; batas waktu IKU-1",
            required=True,
            nullable=False,
        ),
        Column(
            "Realisasi Mulai",
            Kind.DATE,
            "Tanggal tahapan benar-benar dimulai; kosong bila belum dimulai",
            required=True,
        ),
        Column(
            "Realisasi Selesai",
            Kind.DATE,
            "Tanggal tahapan benar-benar selesai; kosong bila belum selesai",
            required=True,
        ),
        Column("Keterangan", Kind.TEXT, "Catatan pelaksanaan"),
    ),
)
