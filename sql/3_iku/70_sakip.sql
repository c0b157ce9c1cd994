-- SAKIP evaluation, the companion of IKU-5 (SPEC §4).
-- Grain: one row per kode_satker × tahun of staging.sakip.
-- Grade from the score by the bands of ref.predikat_sakip (PermenPANRB 88/2021: AA >90-100,
-- A >80-90, BB >70-80, B >60-70, CC >50-60, C >30-50, D 0-30), the same table the check of
-- the sakip export uses. A band excludes its lower bound unless bawah_termasuk (only D
-- includes 0) and includes its upper bound: 60.00 is CC, 60.01 and 60.005 are B, 70.00 is
-- B, 90.00 is A, 90.001 is AA, 30.00 is D, 0 is D, 100 is AA (the score keeps four
-- decimals). A score outside every band gets no grade. The grade computed here is
-- authoritative; the grade written in the export is kept next to it (predikat_tertulis)
-- with a flag when they disagree.
-- minimal_b: the computed grade is B or better (ref.predikat_sakip.minimal_b).
create or replace view iku.sakip as
select
    s.kode_satker,
    s.tahun,
    s.nilai,
    g.predikat,
    g.sebutan,
    s.predikat as predikat_tertulis,
    s.predikat = g.predikat as predikat_sesuai,
    coalesce(g.minimal_b, false) as minimal_b
from staging.sakip as s
left join ref.predikat_sakip as g
    on
        s.nilai <= g.batas_atas
        and (s.nilai > g.batas_bawah or (g.bawah_termasuk and s.nilai = g.batas_bawah));

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
