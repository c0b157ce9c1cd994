-- SAKIP evaluation, the companion of IKU-5: one row per satker and year in staging.sakip.
-- Grade from the score per PermenPANRB 88/2021: AA >90-100, A >80-90, BB >70-80, B >60-70,
-- CC >50-60, C >30-50, D 0-30.
-- Boundary rule (explicit): the regulation writes every range as "> lower - upper", so a
-- range excludes its lower bound and includes its upper bound: 60.00 is CC, 60.01 is B,
-- 70.00 is B, 90.00 is A, 30.00 is D, 0 is D, 100 is AA. A score outside 0-100 gets no
-- grade. The grade computed here from Nilai is authoritative; the grade written in the
-- export is kept next to it (predikat_tertulis) with a flag when they disagree.
-- minimal_b: the computed grade is B or better, i.e. Nilai > 60.
create or replace view iku.sakip as
with dinilai as (
    select
        kode_satker,
        tahun,
        nilai,
        predikat as predikat_tertulis,
        case
            when nilai < 0 or nilai > 100 then null
            when nilai > 90 then 'AA'
            when nilai > 80 then 'A'
            when nilai > 70 then 'BB'
            when nilai > 60 then 'B'
            when nilai > 50 then 'CC'
            when nilai > 30 then 'C'
            else 'D'
        end as predikat
    from staging.sakip
)

select
    kode_satker,
    tahun,
    nilai,
    predikat,
    case predikat
        when 'AA' then 'Sangat Memuaskan'
        when 'A' then 'Memuaskan'
        when 'BB' then 'Sangat Baik'
        when 'B' then 'Baik'
        when 'CC' then 'Cukup'
        when 'C' then 'Kurang'
        when 'D' then 'Sangat Kurang'
    end as sebutan,
    predikat_tertulis,
    predikat_tertulis = predikat as predikat_sesuai,
    coalesce(predikat in ('AA', 'A', 'BB', 'B'), false) as minimal_b
from dinilai;

comment on view iku.sakip is
'Nilai evaluasi SAKIP per satker per tahun (pendamping IKU-5) dengan predikat menurut '
'PermenPANRB 88/2021. Batas bawah setiap rentang tidak termasuk, batas atas termasuk: '
'AA >90-100, A >80-90, BB >70-80, B >60-70, CC >50-60, C >30-50, D 0-30 '
'(nilai 60 = CC, 60,01 = B).';
comment on column iku.sakip.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.sakip.tahun is 'Tahun yang dievaluasi';
comment on column iku.sakip.nilai is 'Nilai evaluasi SAKIP, 0 sampai 100';
comment on column iku.sakip.predikat is
'Predikat dihitung dari nilai (batas bawah rentang tidak termasuk, batas atas termasuk); '
'kosong bila nilai di luar 0 sampai 100';
comment on column iku.sakip.sebutan is 'Sebutan predikat, mis. B = Baik';
comment on column iku.sakip.predikat_tertulis is 'Predikat yang tertulis di hasil evaluasi';
comment on column iku.sakip.predikat_sesuai is
'Benar bila predikat tertulis sama dengan predikat dihitung; kosong bila tidak tertulis';
comment on column iku.sakip.minimal_b is 'Benar bila predikat dihitung B atau lebih baik';
