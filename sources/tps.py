"""tps: polling stations (TPS) of each election, per desa/kelurahan."""

from sources.checks import desa_known, known_election
from sources.model import Check, Column, Kind, Source

# The desa of a TPS, in the TPS list and in every row of SIAKBA (a KPPS member's TPS).
KODE_DESA = Column(
    "Kode Desa",
    Kind.CODE,
    "Kode Kemendagri desa/kelurahan letak TPS",
    aliases=("kode kelurahan", "kode desa/kelurahan"),
    required=True,
    nullable=False,
)

JENIS_PEMILIHAN = Column(
    "Jenis Pemilihan",
    Kind.CHOICE,
    "Jenis pemilihan, mis. Pemilu 2024 atau Pilkada 2024",
    aliases=("pemilihan",),
    required=True,
    nullable=False,
    choices=("Pemilu 2024", "Pilkada 2024"),
    open_choices=True,
    elections=True,
)
NOMOR_TPS = Column(
    "Nomor TPS",
    Kind.INTEGER,
    "Nomor TPS di desa/kelurahan (001 = 1)",
    aliases=("no tps", "tps"),
    required=True,
    nullable=False,
)

SOURCE = Source(
    name="tps",
    title="Daftar TPS per pemilihan dan desa/kelurahan",
    feeds="referensi untuk IKU-6",
    origin="Daftar TPS hasil penetapan DPT (SIDALIH)",
    key=("Jenis Pemilihan", "Kode Desa", "Nomor TPS"),
    item_columns=(),
    freshness_days=400,
    checks=(
        desa_known(),
        Check(
            "pemilihan_tidak_dikenal",
            "warning",
            "Jenis Pemilihan tidak ada di data referensi pemilihan (ref.pemilihan): "
            "TPS ini tidak dihitung IKU-6 sampai ditambahkan",
            "Jenis Pemilihan",
            known_election("jenis_pemilihan"),
        ),
    ),
    columns=(
        JENIS_PEMILIHAN,
        KODE_DESA,
        NOMOR_TPS,
        Column(
            "Jumlah Pemilih",
            Kind.INTEGER,
            "Jumlah pemilih (DPT) di TPS",
            aliases=("dpt", "jumlah dpt"),
            minimum=0,
        ),
    ),
)
