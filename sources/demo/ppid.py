"""Demo ppid exports (IKU-3)."""

from __future__ import annotations

import random
from datetime import date
from typing import NamedTuple

from sources.demo.common import (
    ROMAN,
    Cell,
    D,
    DateText,
    _rng,
    at,
    columns,
    dash_date,
    days_off,
    excel_date,
    maybe,
    random_working_day,
    slash_date,
    typed_date,
)
from sources.demo.files import Export, NikRegister, Person, new_person


class Timing(NamedTuple):
    received: date
    answer_day: int | None  # working day of the written answer; None = not answered
    notice_day: int | None = None  # working day the extension was notified (Perpanjangan = Ya)
    rejected: bool = False


# Requests whose timing is designed; every other request is answered in 2..9 working days.
PPID_DESIGNED: dict[int, tuple[Timing, ...]] = {
    2024: (
        Timing(D(2024, 2, 19), 13),  # late
        Timing(D(2024, 3, 4), 15, 9),  # extended in time, answered on day 15: on time
        Timing(D(2024, 4, 2), 15, 12),  # extension notified on day 12, too late: late
        Timing(D(2024, 6, 11), 6, rejected=True),
        Timing(D(2024, 9, 9), 16, 8),  # extended, on time
        Timing(D(2024, 12, 2), 12),  # late
        Timing(D(2024, 12, 23), 7),  # open in the 2024 register, answered 6 Jan 2025
    ),
    2025: (
        Timing(D(2025, 1, 14), 11),  # late
        Timing(D(2025, 2, 18), 5, rejected=True),  # the applicant files an objection
        Timing(D(2025, 3, 29), 10),  # a Saturday (Nyepi) before Idul Fitri; day 10 = 22 Apr
        Timing(D(2025, 6, 3), 15, 10),  # extension notified on day 10 exactly: on time
        Timing(D(2025, 8, 5), 13),  # late
        Timing(D(2025, 9, 22), 14, 9),  # extended; still open in the TW III snapshot
        Timing(D(2025, 12, 11), None),  # open at year end, overdue from 30 Dec 2025
        Timing(D(2025, 12, 17), None),
        Timing(D(2025, 12, 22), None),
    ),
}
PPID_COUNT = {2024: 35, 2025: 30}
PPID_LAST_ROUTINE = {2024: D(2024, 12, 6), 2025: D(2025, 11, 28)}  # answered within the year
PPID_MONTH_WEIGHTS = {
    2024: (3, 6, 5, 2, 2, 2, 2, 2, 4, 4, 5, 2),  # busier around both voting days
    2025: (3, 3, 3, 2, 2, 2, 3, 3, 2, 2, 2, 0),
}
JOBS = (
    "Mahasiswa", "Wartawan", "Karyawan Swasta", "Wiraswasta", "PNS", "Peneliti", "Guru",
    "Pegiat Pemilu (LSM)", "Pengurus Partai Politik", "Advokat",
)  # fmt: skip
WANTED = (  # Informasi yang Diminta, Tujuan Penggunaan
    ("Salinan DPT Pilkada 2024 per TPS Kecamatan Dusun Selatan (tanpa NIK)", "Bahan kajian"),
    ("Rekapitulasi hasil penghitungan suara Pemilu 2024 tingkat kabupaten", "Pemberitaan"),
    ("Daftar TPS Pilkada 2024 dan jumlah pemilih", "Bahan skripsi"),
    ("Salinan SK penetapan anggota PPK dan PPS", "Bahan kajian"),
    ("Jadwal dan lokasi kampanye pasangan calon", "Pemberitaan"),
    ("Laporan dana kampanye pasangan calon", "Pengawasan partisipatif"),
    ("Data partisipasi pemilih per kecamatan", "Penelitian"),
    ("Rekapitulasi daftar pemilih berkelanjutan triwulan terakhir", "Bahan kajian"),
    ("Salinan formulir Model D.Hasil Kecamatan", "Keperluan saksi partai"),
    ("Anggaran hibah Pilkada 2024 dan realisasinya", "Pengawasan anggaran"),
    ("Daftar anggota KPPS Kelurahan Buntok Kota", "Pemberitaan"),
    ("Peta daerah pemilihan DPRD Kabupaten Barito Selatan", "Bahan skripsi"),
)
HOW = ("Salinan softcopy melalui email", "Mengambil langsung", "Melihat/membaca di kantor")
REJECTION = "Informasi dikecualikan – memuat data pribadi (Pasal 17 huruf h UU 14/2008)"
STREETS = {
    "6204": ("Jl. Pahlawan", "Jl. Pelita Raya", "Jl. Ahmad Yani", "Jl. Tjilik Riwut",
             "Jl. Panglima Batur", "Jl. Merdeka", "Jl. Veteran"),
    "6271": ("Jl. RTA Milono", "Jl. G. Obos", "Jl. Yos Sudarso", "Jl. Diponegoro"),
    "6212": ("Jl. Ahmad Yani", "Jl. Tjilik Riwut", "Jl. Jenderal Sudirman"),
}  # fmt: skip
TOWNS = {"6204": "Buntok", "6271": "Palangka Raya", "6212": "Tamiang Layang"}


class Applicant(NamedTuple):
    person: Person
    address: str
    phone: str
    email: str | None
    job: str


class Request(NamedTuple):
    number: str
    received: date
    applicant: Applicant
    wanted: tuple[str, str]
    how: str
    rejected: bool
    notice: date | None  # extension notified (Perpanjangan = Ya)
    answered: date | None


def applicant(rng: random.Random, niks: NikRegister) -> Applicant:
    kab = rng.choices(("6204", "6271", "6212"), weights=(7, 2, 1))[0]
    region = f"{kab}{rng.randint(1, 6 if kab == '6204' else 5):02d}"
    person = new_person(rng, niks, region, D(1962, 1, 1), D(2004, 6, 30))
    address = f"{rng.choice(STREETS[kab])} No. {rng.randint(1, 120)}, {TOWNS[kab]}"
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.choice((7, 8))))
    phone = f"08{rng.choice(('11', '12', '13', '21', '22', '52', '53', '77'))}{digits}"
    mailbox = f"{person.name.lower().replace(' ', '.')}{rng.randint(1, 99)}"
    email = f"{mailbox}@{rng.choice(('gmail.com', 'yahoo.co.id'))}" if rng.random() < 0.8 else None
    return Applicant(person, address, phone, email, rng.choice(JOBS))


def ppid_requests() -> list[Request]:
    rng = _rng("ppid")
    niks = NikRegister()
    pool = [applicant(rng, niks) for _ in range(48)]  # a few people ask more than once
    # The 2025 objector has an apostrophe in his name: the Windows-1252 register needs a ’.
    objector = pool.pop(0)
    objector = objector._replace(
        person=objector.person._replace(name="Muhammad Ma’ruf"),
        email="maruf.barsel@gmail.com",
        job="Wartawan",
    )
    out: list[Request] = []
    for year in (2024, 2025):
        timings = list(PPID_DESIGNED[year])
        while len(timings) < PPID_COUNT[year]:
            month = rng.choices(range(1, 13), weights=PPID_MONTH_WEIGHTS[year])[0]
            last = min(PPID_LAST_ROUTINE[year], D(year, month, 28))
            received = random_working_day(rng, D(year, month, 2), last)
            timings.append(Timing(received, rng.randint(2, 9)))
        timings.sort(key=lambda t: t.received)
        for seq, t in enumerate(timings, start=1):
            who = objector if t.rejected and year == 2025 else rng.choice(pool)
            out.append(
                Request(
                    number=f"{seq:03d}/PPID/{ROMAN[t.received.month - 1]}/{year}",
                    received=t.received,
                    applicant=who,
                    wanted=rng.choice(WANTED),
                    how=rng.choice(HOW),
                    rejected=t.rejected,
                    notice=_after(t.received, t.notice_day),
                    answered=_after(t.received, t.answer_day),
                )
            )
    return out


def _after(start: date, working_days: int | None) -> date | None:
    return None if working_days is None else days_off().get_nth_working_day(start, working_days)


def ppid_row(r: Request, as_of: date, fmt: DateText, extension: bool = True) -> list[Cell]:
    """One register line as it stood on ``as_of``: later answers are not known yet."""
    answered = r.answered if r.answered and r.answered <= as_of else None
    notice = r.notice if r.notice and r.notice <= as_of else None
    decision = None if answered is None else "Ditolak" if r.rejected else "Diterima"
    objection = "Ya" if decision == "Ditolak" and r.received.year == 2025 else "Tidak"
    p = r.applicant
    who = [p.person.name, p.person.nik, p.address, p.phone, p.email, p.job]
    what = [*r.wanted, r.how, decision, REJECTION if decision == "Ditolak" else None]
    extended = ["Ya" if notice else "Tidak", maybe(fmt, notice)] if extension else []
    return [r.number, fmt(r.received), *who, *what, *extended, maybe(fmt, answered), objection]


PPID_HEADER = columns(
    "No Registrasi, Tanggal Permohonan, Nama Pemohon, NIK, Alamat, No Telepon, Email, Pekerjaan, "
    "Informasi yang Diminta, Tujuan Penggunaan, Cara Memperoleh, Keputusan, Alasan Penolakan, "
    "Perpanjangan, Tanggal Pemberitahuan Perpanjangan, Tanggal Pemberitahuan Tertulis, Keberatan"
)
# A simpler register: other spellings, no extension columns (absent Perpanjangan means Tidak).
PPID_SIMPLE_HEADER = columns(
    "NO. REGISTRASI, tanggal permohonan, Nama, No Identitas, Alamat, Nomor Kontak, E-mail, "
    "Pekerjaan, Rincian Informasi, Tujuan Penggunaan Informasi, Cara Memperoleh Informasi, "
    "Keputusan, Alasan Penolakan, Tanggal Pemberitahuan Tertulis, Keberatan"
)
PPID_TITLE = ("REGISTER PERMOHONAN INFORMASI PUBLIK", "KPU KABUPATEN BARITO SELATAN")


def ppid_exports() -> list[Export]:
    """A 2024 year-end register, then 2025 snapshots that restate and complete earlier ones."""
    requests = ppid_requests()

    def snapshot(as_of: date, fmt: DateText, extension: bool = True) -> list[list[Cell]]:
        known = [r for r in requests if r.received.year == as_of.year and r.received <= as_of]
        return [ppid_row(r, as_of, fmt, extension) for r in known]

    tw1_day = D(2025, 4, 8)
    carried = [
        r for r in requests if r.received.year == 2024 and r.answered and r.answered.year > 2024
    ]
    tw1 = [ppid_row(r, tw1_day, slash_date, False) for r in carried]
    return [
        Export(
            "register_permohonan_informasi_2024.xlsx",
            PPID_HEADER,
            snapshot(D(2024, 12, 31), excel_date),
            at(2024, 12, 31, 14),
            title=(*PPID_TITLE, "TAHUN 2024"),
            sheet="Register 2024",
        ),
        Export(
            "ppid_tw1_2025.csv",
            PPID_SIMPLE_HEADER,
            tw1 + snapshot(tw1_day, slash_date, extension=False),
            at(2025, 4, 8, 16),
            sep=";",
            encoding="cp1252",
        ),
        Export(
            "register_ppid_2025_06.xlsx",
            PPID_HEADER,
            snapshot(D(2025, 6, 30), excel_date),
            at(2025, 7, 1, 9),
            title=(*PPID_TITLE, "TAHUN 2025"),
            truncate=True,
        ),
        Export(
            "register_ppid_2025_tw3.xlsx",
            PPID_HEADER,
            snapshot(D(2025, 10, 1), typed_date),
            at(2025, 10, 1, 15, 30),
            title=(*PPID_TITLE, "TAHUN 2025", "Posisi 1 Oktober 2025"),
            sheet="Register",
        ),
        # The newest export has the name that sorts first: precedence must come from the mtime.
        Export(
            "Register PPID 2025 - Desember.csv",
            PPID_HEADER,
            snapshot(D(2025, 12, 31), dash_date),
            at(2025, 12, 31, 15),
            sep="\t",
            encoding="utf-8-sig",
        ),
    ]
