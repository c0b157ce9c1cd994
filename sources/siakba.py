"""siakba: KPPS members registered and selected in SIAKBA (IKU-6)."""

from dataclasses import replace

from sources.checks import (
    age_on_voting_day,
    desa_known,
    in_set,
    known_election,
    nik_matches_person,
    nik_well_formed,
    tps_exists,
)
from sources.model import Check, Column, Kind, Source
from sources.tps import JENIS_PEMILIHAN, KODE_DESA, NOMOR_TPS

# KPPS members need at least upper-secondary education (PKPU 8/2022 Pasal 35).
SMA_OR_HIGHER = ("SMA/Sederajat", "D1", "D2", "D3", "D4", "S1", "S2", "S3")

SOURCE = Source(
    name="siakba",
    title="Anggota KPPS hasil seleksi (SIAKBA) per TPS",
    feeds="IKU-6",
    origin="SIAKBA (Sistem Informasi Anggota KPU dan Badan Adhoc)",
    key=("Jenis Pemilihan", "NIK"),
    freshness_days=400,
    checks=(
        Check(
            "nik_tidak_sah",
            "error",
            "NIK tidak berbentuk NIK (kode provinsi atau tanggal lahir di dalamnya mustahil)",
            "NIK",
            nik_well_formed("nik"),
        ),
        Check(
            "nik_tidak_cocok_tanggal_lahir",
            "error",
            "Digit tanggal lahir di NIK (DDMMYY, tanggal + 40 untuk perempuan) tidak cocok dengan "
            "Tanggal Lahir dan Jenis Kelamin; periksa NIK atau tanggal lahir di SIAKBA",
            "NIK",
            nik_matches_person("nik", "tanggal_lahir", "jenis_kelamin"),
        ),
        Check(
            "usia_kpps_17_55",
            "error",
            "Usia anggota KPPS pada hari pemungutan suara harus 17 sampai 55 tahun",
            "Tanggal Lahir",
            age_on_voting_day("tanggal_lahir", "jenis_pemilihan", 17, 55),
        ),
        Check(
            "pendidikan_di_bawah_sma",
            "error",
            "Pendidikan terakhir anggota KPPS paling rendah SMA/sederajat",
            "Pendidikan Terakhir",
            in_set("pendidikan_terakhir", SMA_OR_HIGHER),
        ),
        desa_known(),
        Check(
            "tps_tidak_dikenal",
            "error",
            "Nomor TPS tidak ada di daftar TPS pemilihan ini untuk desa tersebut",
            "Nomor TPS",
            tps_exists("jenis_pemilihan", "kode_desa", "nomor_tps"),
            uses=frozenset({"tps"}),
        ),
        Check(
            "pemilihan_tidak_dikenal",
            "warning",
            "Jenis Pemilihan tidak ada di data referensi pemilihan (ref.pemilihan)",
            "Jenis Pemilihan",
            known_election("jenis_pemilihan"),
        ),
    ),
    columns=(
        Column(
            "No Registrasi", Kind.TEXT, "Nomor registrasi pendaftar di SIAKBA", aliases=("no reg",)
        ),
        replace(JENIS_PEMILIHAN, doc="Jenis pemilihan"),
        Column(
            "NIK",
            Kind.NIK,
            "Pseudonim NIK anggota (HMAC), untuk menghitung orang yang berbeda",
            aliases=("no identitas", "nomor induk kependudukan"),
            required=True,
            nullable=False,
            pii="pseudonym",
        ),
        Column(
            "Nama Lengkap", Kind.TEXT, "Nama lengkap anggota (diumumkan publik)", aliases=("nama",)
        ),
        Column(
            "Jenis Kelamin",
            Kind.CHOICE,
            "L atau P",
            aliases=("jk", "l/p"),
            required=True,
            nullable=False,
            choices=("L", "P"),
            choice_aliases=(("laki-laki", "L"), ("laki laki", "L"), ("perempuan", "P")),
        ),
        Column(
            "Tanggal Lahir",
            Kind.DATE,
            "Tanggal lahir anggota",
            aliases=("tgl lahir",),
            required=True,
            nullable=False,
            pii="drop",
            birth_date=True,
        ),
        Column(
            "Pendidikan Terakhir",
            Kind.CHOICE,
            "Pendidikan terakhir",
            aliases=("pendidikan",),
            choices=("SD", "SMP/Sederajat", *SMA_OR_HIGHER),
            choice_aliases=(
                ("SMP", "SMP/Sederajat"),
                ("SLTP", "SMP/Sederajat"),
                ("SMA", "SMA/Sederajat"),
                ("SMK", "SMA/Sederajat"),
                ("SLTA", "SMA/Sederajat"),
                ("SLTA/Sederajat", "SMA/Sederajat"),
            ),
        ),
        KODE_DESA,
        replace(NOMOR_TPS, doc="Nomor TPS (001 = 1)"),
        Column(
            "Jabatan",
            Kind.CHOICE,
            "Ketua atau Anggota KPPS",
            required=True,
            nullable=False,
            choices=("Ketua", "Anggota"),
            choice_aliases=(("ketua kpps", "Ketua"), ("anggota kpps", "Anggota")),
        ),
        Column(
            "Status Seleksi",
            Kind.CHOICE,
            "Lulus, Tidak Lulus, Cadangan, atau Mengundurkan Diri",
            aliases=("status",),
            required=True,
            nullable=False,
            choices=("Lulus", "Tidak Lulus", "Cadangan", "Mengundurkan Diri"),
            choice_aliases=(("TL", "Tidak Lulus"), ("MD", "Mengundurkan Diri")),
        ),
        Column(
            "Tanggal Pelantikan",
            Kind.DATE,
            "Tanggal anggota dilantik; kosong bila belum",
            aliases=("tgl pelantikan",),
            required=True,
        ),
    ),
)
