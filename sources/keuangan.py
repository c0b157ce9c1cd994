"""keuangan: accountability reports of treasury officials (IKU-5)."""

from sources.model import Column, DateOrder, Kind, Source

SOURCE = Source(
    name="keuangan",
    title="Penyampaian laporan pertanggungjawaban pejabat perbendaharaan",
    feeds="IKU-5",
    origin="Register LPJ/SPJ bendahara dan pejabat perbendaharaan",
    key=("NIP", "Jenis Laporan", "Periode Laporan"),
    item_columns=("Batas Waktu",),
    freshness_days=35,
    date_order=(DateOrder("Periode Laporan", "Batas Waktu", "warning"),),
    columns=(
        Column(
            "NIP",
            Kind.DIGITS,
            "NIP pejabat perbendaharaan (18 digit)",
            aliases=("nip pejabat",),
            required=True,
            nullable=False,
            digits=18,
        ),
        Column("Nama Pejabat", Kind.TEXT, "Nama pejabat perbendaharaan", aliases=("nama",)),
        Column(
            "Jabatan Perbendaharaan",
            Kind.CHOICE,
            "Jabatan perbendaharaan",
            aliases=("jabatan",),
            choices=(
                "KPA",
                "PPK",
                "PPSPM",
                "Bendahara Pengeluaran",
                "Bendahara Pengeluaran Pembantu",
            ),
            choice_aliases=(("BPP", "Bendahara Pengeluaran Pembantu"),),
            open_choices=True,
        ),
        Column(
            "Jenis Laporan",
            Kind.TEXT,
            "Jenis laporan, mis. LPJ Bendahara atau SPJ",
            aliases=("laporan",),
            required=True,
            nullable=False,
        ),
        Column(
            "Periode Laporan",
            Kind.MONTH,
            "Bulan yang dilaporkan (tanggal 1 bulan itu)",
            aliases=("periode", "bulan"),
            required=True,
            nullable=False,
        ),
        Column(
            "Batas Waktu",
            Kind.DATE,
            "Batas waktu penyampaian laporan",
            aliases=("tenggat", "batas penyampaian"),
            required=True,
            nullable=False,
        ),
        Column(
            "Tanggal Penyampaian",
            Kind.DATE,
            "Tanggal laporan disampaikan; kosong bila belum",
            aliases=("tanggal disampaikan", "tanggal lapor"),
            required=True,
        ),
    ),
)
