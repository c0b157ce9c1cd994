"""tps: polling stations (TPS) of each election, per desa/kelurahan."""

from sources.model import Column, Kind, Source

SOURCE = Source(
    name="tps",
    title="Daftar TPS per pemilihan dan desa/kelurahan",
    feeds="referensi untuk IKU-6",
    origin="Daftar TPS hasil penetapan DPT (SIDALIH)",
    key=("Jenis Pemilihan", "Kode Desa", "Nomor TPS"),
    freshness_days=400,
    columns=(
        Column(
            "Jenis Pemilihan",
            Kind.CHOICE,
            "Jenis pemilihan, mis. Pemilu 2024 atau Pilkada 2024",
            aliases=("pemilihan",),
            required=True,
            nullable=False,
            choices=("Pemilu 2024", "Pilkada 2024"),
            open_choices=True,
        ),
        Column(
            "Kode Desa",
            Kind.CODE,
            "Kode Kemendagri desa/kelurahan letak TPS",
            aliases=("kode kelurahan", "kode desa/kelurahan"),
            required=True,
            nullable=False,
        ),
        Column(
            "Nomor TPS",
            Kind.INTEGER,
            "Nomor TPS di desa/kelurahan (001 = 1)",
            aliases=("no tps", "tps"),
            required=True,
            nullable=False,
        ),
        Column(
            "Jumlah Pemilih",
            Kind.INTEGER,
            "Jumlah pemilih (DPT) di TPS",
            aliases=("dpt", "jumlah dpt"),
        ),
    ),
)
