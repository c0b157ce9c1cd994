"""ppid: the register of public-information requests (IKU-3)."""

from sources.checks import nik_well_formed, present_when
from sources.model import Check, Column, DateOrder, Kind, Source

YA_TIDAK = "Ya atau Tidak"

SOURCE = Source(
    name="ppid",
    title="Register permohonan informasi publik (PPID)",
    feeds="IKU-3",
    origin="Register permohonan informasi PPID KPU Kabupaten",
    key=("No Registrasi",),
    item_columns=("Tanggal Permohonan",),
    freshness_days=7,
    date_order=(
        DateOrder("Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis"),
        DateOrder("Tanggal Permohonan", "Tanggal Pemberitahuan Perpanjangan"),
    ),
    checks=(
        Check(
            "nik_tidak_sah",
            "warning",
            "NIK pemohon tidak berbentuk NIK (kode provinsi atau tanggal lahir mustahil)",
            "NIK",
            nik_well_formed("nik"),
        ),
        Check(
            "perpanjangan_tanpa_tanggal",
            "warning",
            "Perpanjangan = Ya tetapi Tanggal Pemberitahuan Perpanjangan kosong: "
            "perpanjangan tidak dapat dihitung",
            "Tanggal Pemberitahuan Perpanjangan",
            present_when("tanggal_pemberitahuan_perpanjangan", "perpanjangan"),
        ),
    ),
    columns=(
        Column(
            "No Registrasi",
            Kind.TEXT,
            "Nomor registrasi permohonan",
            aliases=("nomor registrasi", "no reg", "nomor"),
            required=True,
            nullable=False,
        ),
        Column(
            "Tanggal Permohonan",
            Kind.DATE,
            "Tanggal permohonan diterima",
            aliases=("tanggal diterima", "tanggal"),
            required=True,
            nullable=False,
        ),
        Column("Nama Pemohon", Kind.TEXT, "Nama pemohon", aliases=("nama",), pii="drop"),
        Column(
            "NIK",
            Kind.NIK,
            "Pseudonim NIK pemohon (HMAC), untuk menghitung pemohon yang berbeda",
            aliases=("no identitas", "nomor identitas", "no ktp"),
            pii="pseudonym",
            invalid="warning",  # optional: a mangled NIK must not hide the request
        ),
        Column("Alamat", Kind.TEXT, "Alamat pemohon", pii="drop"),
        Column(
            "No Telepon",
            Kind.TEXT,
            "Nomor telepon pemohon",
            aliases=("nomor kontak", "no hp", "nomor telepon", "telepon"),
            pii="drop",
        ),
        Column(
            "Email", Kind.TEXT, "Alamat e-mail pemohon", aliases=("e-mail", "surel"), pii="drop"
        ),
        Column("Pekerjaan", Kind.TEXT, "Pekerjaan pemohon"),
        Column(
            "Informasi yang Diminta",
            Kind.TEXT,
            "Informasi yang diminta",
            aliases=("rincian informasi",),
        ),
        Column(
            "Tujuan Penggunaan",
            Kind.TEXT,
            "Tujuan penggunaan informasi",
            aliases=("tujuan penggunaan informasi",),
        ),
        Column(
            "Cara Memperoleh",
            Kind.TEXT,
            "Cara memperoleh informasi",
            aliases=("cara memperoleh informasi",),
        ),
        Column("Keputusan", Kind.TEXT, "Keputusan atas permohonan (diterima, ditolak, ...)"),
        Column("Alasan Penolakan", Kind.TEXT, "Alasan penolakan, bila ditolak"),
        Column(
            "Perpanjangan",
            Kind.BOOLEAN,
            f"Jangka waktu diperpanjang 7 hari kerja: {YA_TIDAK}",
            default=False,
        ),
        Column(
            "Tanggal Pemberitahuan Perpanjangan",
            Kind.DATE,
            "Tanggal pemohon diberi tahu perpanjangan",
        ),
        Column(
            "Tanggal Pemberitahuan Tertulis",
            Kind.DATE,
            "Tanggal pemberitahuan tertulis (jawaban) disampaikan; kosong bila belum dijawab",
            aliases=("tanggal jawaban", "tanggal pemberitahuan"),
            required=True,
        ),
        Column("Keberatan", Kind.BOOLEAN, f"Pemohon mengajukan keberatan: {YA_TIDAK}"),
    ),
)
