"""sakip: yearly SAKIP self-evaluation score and grade (IKU-5 companion)."""

from sources.checks import between, sakip_grade
from sources.model import Check, Column, Kind, Source

SOURCE = Source(
    name="sakip",
    title="Nilai evaluasi SAKIP (akuntabilitas kinerja) per tahun",
    feeds="IKU-5 (pendamping)",
    origin="Hasil evaluasi/reviu mandiri SAKIP",
    key=("Tahun",),
    freshness_days=400,
    checks=(
        Check(
            "nilai_di_luar_0_100",
            "error",
            "Nilai SAKIP harus antara 0 dan 100",
            "Nilai",
            between("nilai", 0, 100),
        ),
        Check(
            "predikat_tidak_sesuai_nilai",
            "warning",
            "Predikat tidak sesuai dengan Nilai menurut PermenPANRB 88/2021 "
            "(AA >90, A >80, BB >70, B >60, CC >50, C >30, D 0–30)",
            "Predikat",
            sakip_grade("nilai", "predikat"),
        ),
    ),
    columns=(
        Column("Tahun", Kind.YEAR, "Tahun yang dievaluasi", required=True, nullable=False),
        Column(
            "Nilai",
            Kind.DECIMAL,
            "Nilai evaluasi SAKIP, 0 sampai 100",
            aliases=("nilai sakip", "skor"),
            required=True,
            nullable=False,
        ),
        Column(
            "Predikat",
            Kind.CHOICE,
            "Predikat yang tertulis di hasil evaluasi (AA, A, BB, B, CC, C, D)",
            choices=("AA", "A", "BB", "B", "CC", "C", "D"),
            # the grade's name, as an evaluation report also writes it (PermenPANRB 88/2021)
            choice_aliases=(
                ("sangat memuaskan", "AA"),
                ("memuaskan", "A"),
                ("sangat baik", "BB"),
                ("baik", "B"),
                ("cukup", "CC"),
                ("kurang", "C"),
                ("sangat kurang", "D"),
            ),
            # Only compared with the grade the score gives (iku.sakip grades Nilai itself): a
            # grade no band has must not quarantine the score, nor reject the evaluation.
            invalid="warning",
        ),
    ),
)
