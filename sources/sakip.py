"""sakip: yearly SAKIP self-evaluation score and grade (IKU-5 companion)."""

from sources.model import Column, Kind, Source

SOURCE = Source(
    name="sakip",
    title="Nilai evaluasi SAKIP (akuntabilitas kinerja) per tahun",
    feeds="IKU-5 (pendamping)",
    origin="Hasil evaluasi/reviu mandiri SAKIP",
    key=("Tahun",),
    freshness_days=400,
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
        ),
    ),
)
