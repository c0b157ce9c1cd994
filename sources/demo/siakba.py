"""Demo siakba exports (IKU-6)."""

from __future__ import annotations

import random
from datetime import date
from typing import NamedTuple

from sources.demo.common import (
    KECAMATAN,
    KPPS_INAUGURATION,
    PEMILU,
    PILKADA,
    SATKER,
    VOTING_DAY,
    Cell,
    D,
    _rng,
    at,
    columns,
    dash_date,
    dotted_code,
    kecamatan_of,
    maybe,
    tps_number,
)
from sources.demo.files import Export, NikRegister, Person, age_on, new_person
from sources.demo.wilayah import Electorate, Tps
from sources.indonesian import tanggal

KPPS_SIZE = 7
EDUCATION = ("SMA/Sederajat", "S1", "D3", "D1", "S2", "D4")
EDUCATION_WEIGHTS = (50, 24, 9, 2, 2, 3)
SMA_SPELLINGS = ("SMA/Sederajat", "SLTA", "SMK", "SMA")  # aliases seen in the Pilkada file
BIRTH_RANGE = (D(1970, 1, 1), D(2005, 12, 31))  # 18 to 54 years old on both voting days
REUSE_SHARE = 0.45  # Pilkada members who also served in the Pemilu in the same desa

Seat = tuple[str, str, int]  # (election, village code, TPS number)
# Designed faults, see FAULTS.
SIX_LULUS: set[Seat] = {
    (PEMILU, "6204022005", 3),
    (PEMILU, "6204052009", 7),
    (PILKADA, "6204032004", 1),
    (PILKADA, "6204042003", 1),
}
NO_CHAIR: set[Seat] = {(PEMILU, "6204062004", 5)}
LATE_INAUGURATION: dict[Seat, date] = {
    (PEMILU, "6204041005", 2): D(2024, 1, 29),
    (PEMILU, "6204061008", 17): D(2024, 2, 1),
    (PILKADA, "6204011003", 1): D(2024, 11, 9),
}
EXCEL_NIK: Seat = (PEMILU, "6204012004", 4)
NIK_MISMATCH: Seat = (PEMILU, "6204031002", 6)
TOO_OLD: Seat = (PEMILU, "6204052018", 3)


class Member(NamedTuple):
    tps: Tps
    person: Person
    education: str
    chair: bool
    status: str
    inaugurated: date | None
    born_written: date  # Tanggal Lahir as written; differs from the NIK in one fault
    nik_written: str
    note: str | None = None


def kpps_members(electorate: Electorate) -> list[Member]:
    rng = _rng("siakba")
    niks = NikRegister()
    members: list[Member] = []
    veterans: dict[str, list[Person]] = {}  # clean Pemilu members per village
    for election in (PEMILU, PILKADA):
        for tps in electorate.tps[election]:
            region = tps.village.code[:6]
            pool = veterans.get(tps.village.code, []) if election == PILKADA else []
            team = []
            for seat in range(KPPS_SIZE):
                reuse = bool(pool) and rng.random() < REUSE_SHARE
                person = pool.pop() if reuse else new_person(rng, niks, region, *BIRTH_RANGE)
                team.append(kpps_member(rng, niks, tps, person, seat))
            if (roll := rng.random()) < 0.3:  # a reserve or a failed candidate
                person = new_person(rng, niks, region, *BIRTH_RANGE)
                status = "Cadangan" if roll < 0.22 else "Tidak Lulus"
                team.append(kpps_member(rng, niks, tps, person, KPPS_SIZE, status))
            members += team
            if election == PEMILU:
                veterans.setdefault(tps.village.code, []).extend(
                    m.person for m in team if _clean(m)
                )
    return members


def _clean(m: Member) -> bool:
    """A Lulus member without any designed fault, who may serve again in the Pilkada."""
    return (
        m.status == "Lulus"
        and m.note is None
        and (m.born_written, m.nik_written) == (m.person.born, m.person.nik)
        and age_on(m.person.born, VOTING_DAY[PILKADA]) <= 55
    )


def kpps_member(
    rng: random.Random,
    niks: NikRegister,
    tps: Tps,
    person: Person,
    seat: int,
    status: str = "Lulus",
) -> Member:
    """Seat 0 is the Ketua, 1-6 the Anggota, 7 a reserve; designed faults land on fixed seats."""
    key = (tps.election, tps.village.code, tps.number)
    region = tps.village.code[:6]
    inaugurated: date | None = KPPS_INAUGURATION[tps.election] if status == "Lulus" else None
    note = None
    if seat == KPPS_SIZE - 1 and key in SIX_LULUS:
        status, inaugurated, note = (
            "Mengundurkan Diri",
            None,
            "Mengundurkan diri sebelum pelantikan",
        )
    if seat == 3 and key in LATE_INAUGURATION:
        inaugurated, note = LATE_INAUGURATION[key], "Pengganti antarwaktu, dilantik menyusul"
    if seat == 2 and key == TOO_OLD:
        born = D(1966, 3, 3)
        person = person._replace(born=born, nik=niks.issue(region, born, person.female))
    born_written, nik_written = person.born, person.nik
    if seat == 4 and key == NIK_MISMATCH:
        born = D(1991, 8, 12)
        person = person._replace(born=born, nik=niks.issue(region, born, person.female))
        born_written, nik_written = D(1991, 8, 21), person.nik  # day digits swapped
    if seat == 5 and key == EXCEL_NIK:
        nik_written = "6.20401E+15"
    education = rng.choices(EDUCATION, weights=EDUCATION_WEIGHTS)[0]
    chair = seat == 0 and key not in NO_CHAIR
    return Member(
        tps, person, education, chair, status, inaugurated, born_written, nik_written, note
    )


KPPS_TITLE = ("DAFTAR ANGGOTA KPPS TERPILIH", "KPU KABUPATEN BARITO SELATAN")


def pemilu_kpps_row(m: Member) -> list[Cell]:
    """Jenis Pemilihan .. Keterangan, as in the Pemilu files: L/P, real dates, TPS '001'."""
    who: list[Cell] = [PEMILU, m.nik_written, m.person.name, "P" if m.person.female else "L"]
    where = [kecamatan_of(m.tps.village.code).name, m.tps.village.code, m.tps.village.name]
    role = ["Ketua" if m.chair else "Anggota", m.status, m.inaugurated, m.note]
    return [*who, m.born_written, m.education, *where, tps_number(m.tps.number), *role]


def pilkada_kpps_row(m: Member, rng: random.Random) -> list[Cell]:
    """PEMILIHAN .. TGL PELANTIKAN, as in the Pilkada file: other spellings, dates as text."""
    sex = "Perempuan" if m.person.female else "Laki-laki"
    who: list[Cell] = [PILKADA.upper(), m.nik_written, m.person.name, sex]
    education = rng.choice(SMA_SPELLINGS) if m.education == EDUCATION[0] else m.education
    where: list[Cell] = [dotted_code(m.tps.village.code), m.tps.village.name, m.tps.number]
    role = f"{'Ketua' if m.chair else 'Anggota'} KPPS"
    done = maybe(tanggal, m.inaugurated)
    return [*who, dash_date(m.born_written), education, *where, role, m.status, done]


def siakba_exports(electorate: Electorate) -> list[Export]:
    """Pemilu 2024: one XLSX per kecamatan; Pilkada 2024: one XLSX with other spellings."""
    members = kpps_members(electorate)
    rng = _rng("siakba-spelling")
    exports = []
    for n, kec in enumerate(KECAMATAN):
        here = [
            m for m in members if m.tps.election == PEMILU and m.tps.village.code[:6] == kec.code
        ]
        rows = [
            [i, f"{i:04d}/KPPS-PML/{kec.code}/2023", *pemilu_kpps_row(m)]
            for i, m in enumerate(here, 1)
        ]
        exports.append(
            Export(
                f"kpps_pemilu_2024_{kec.name.lower().replace('.', '').replace(' ', '_')}.xlsx",
                columns(
                    "No, No Registrasi, Jenis Pemilihan, NIK, Nama Lengkap, Jenis Kelamin, "
                    "Tanggal Lahir, Pendidikan Terakhir, Kecamatan, Kode Desa, Nama Desa, "
                    "Nomor TPS, Jabatan, Status Seleksi, Tanggal Pelantikan, Keterangan"
                ),
                rows,
                at(2024, 2, 2, 8, 10 * n),
                title=(
                    KPPS_TITLE[0],
                    "PEMILU TAHUN 2024",
                    f"KECAMATAN {kec.name.upper()}",
                    KPPS_TITLE[1],
                ),
                sheet="KPPS",
            )
        )
    chosen = [m for m in members if m.tps.election == PILKADA]
    pilkada = [
        [f"{i:04d}/KPPS-PKD/{SATKER}/2024", *pilkada_kpps_row(m, rng)]
        for i, m in enumerate(chosen, 1)
    ]
    exports.append(
        Export(
            "kpps_pilkada_2024.xlsx",
            columns(
                "NO. REG, PEMILIHAN, NIK, NAMA, L/P, TGL LAHIR, PENDIDIKAN, KODE DESA/KELURAHAN, "
                "DESA/KELURAHAN, NO TPS, JABATAN, STATUS, TGL PELANTIKAN"
            ),
            pilkada,
            at(2024, 11, 12, 10),
            title=("DAFTAR ANGGOTA KPPS PEMILIHAN SERENTAK TAHUN 2024", KPPS_TITLE[1]),
            sheet="KPPS Pilkada",
        )
    )
    return exports
