"""logistik: election logistics per item and warehouse, with inventory and upkeep dates (IKU-2)."""

from sources.checks import parts_sum
from sources.model import Check, Column, Kind, Source

COUNT = "Jumlah barang dalam satuan"

SOURCE = Source(
    name="logistik",
    title="Logistik pemilu/pemilihan per barang dan gudang: inventarisasi dan pemeliharaan",
    feeds="IKU-2",
    origin="SILOG (Sistem Informasi Logistik KPU)",
    key=("Tahun", "Kode Barang", "Lokasi Gudang"),
    item_columns=("Kategori",),
    freshness_days=100,
    checks=(
        Check(
            "jumlah_baik_rusak_tidak_sama_tersedia",
            "warning",
            "Jumlah Baik + Jumlah Rusak tidak sama dengan Jumlah Tersedia",
            "Jumlah Tersedia",
            parts_sum("jumlah_tersedia", "jumlah_baik", "jumlah_rusak"),
        ),
    ),
    columns=(
        Column("Tahun", Kind.YEAR, "Tahun anggaran/pelaporan", required=True, nullable=False),
        Column(
            "Kode Barang",
            Kind.TEXT,
            "Kode barang logistik",
            aliases=("kode",),
            required=True,
            nullable=False,
        ),
        Column("Nama Barang", Kind.TEXT, "Nama barang logistik", aliases=("barang", "uraian")),
        Column(
            "Kategori",
            Kind.CHOICE,
            "Barang Inventaris atau Habis Pakai; hanya Barang Inventaris dihitung IKU-2",
            aliases=("jenis barang",),
            required=True,
            nullable=False,
            choices=("Barang Inventaris", "Habis Pakai"),
            choice_aliases=(
                ("inventaris", "Barang Inventaris"),
                ("barang habis pakai", "Habis Pakai"),
            ),
        ),
        Column(
            "Lokasi Gudang",
            Kind.TEXT,
            "Gudang tempat barang disimpan",
            aliases=("gudang", "lokasi"),
            required=True,
            nullable=False,
        ),
        Column("Satuan", Kind.TEXT, "Satuan barang (buah, lembar, set, ...)"),
        Column(
            "Jumlah Kebutuhan",
            Kind.INTEGER,
            f"{COUNT}: kebutuhan",
            aliases=("kebutuhan",),
            minimum=0,
        ),
        Column(
            "Jumlah Tersedia", Kind.INTEGER, f"{COUNT}: tersedia", aliases=("tersedia",), minimum=0
        ),
        Column("Jumlah Baik", Kind.INTEGER, f"{COUNT}: kondisi baik", aliases=("baik",), minimum=0),
        Column(
            "Jumlah Rusak", Kind.INTEGER, f"{COUNT}: kondisi rusak", aliases=("rusak",), minimum=0
        ),
        Column(
            "Tanggal Inventarisasi",
            Kind.DATE,
            "Tanggal barang terakhir diinventarisasi",
            required=True,
        ),
        Column(
            "Tanggal Pemeliharaan",
            Kind.DATE,
            "Tanggal barang terakhir dipelihara",
            required=True,
        ),
    ),
)
