-- iku.jatuh_tempo: early warning (SPEC §7): the items not done yet whose deadline is near.
-- Grain: one row per item (as in its detail view) that is not completed, whose deadline
--   is on or after the as-of date (so not counted yet) and at most
--   ref.parameter.hari_peringatan working days after it (IKU_DUE_SOON_DAYS, default 5).
-- hari_kerja_tersisa: the working days after the as-of date up to and including the
--   deadline (ref.kalender.nomor_hari_kerja); 0 = due on the as-of date itself.
-- butir names the item in the words of its source; no personal data (the detail views
-- hold none).
create or replace view iku.jatuh_tempo as
with butir as (
    -- Each item once, in its quarter; IKU-5's items are officials without a deadline of
    -- their own, so their reports are listed instead, each with its Batas Waktu.
    select
        kode_satker,
        kode_iku,
        butir,
        batas_waktu,
        selesai
    from iku.butir
    where triwulan is not null and batas_waktu is not null
    union all
    select
        kode_satker,
        kode_iku,
        concat_ws(' ', jenis_laporan, strftime(periode_laporan, '%Y-%m'), nip) as butir,
        batas_waktu,
        selesai
    from iku.iku5_keuangan
)

select
    b.kode_satker,
    b.kode_iku,
    i.indikator,
    b.butir,
    b.batas_waktu,
    batas.nomor_hari_kerja - posisi.nomor_hari_kerja as hari_kerja_tersisa
from butir as b
cross join ref.parameter as p
inner join ref.kalender as posisi on p.tanggal_posisi = posisi.tanggal
inner join ref.kalender as batas on b.batas_waktu = batas.tanggal
inner join ref.iku as i on b.kode_iku = i.kode_iku
where
    not b.selesai
    and b.batas_waktu >= p.tanggal_posisi
    and batas.nomor_hari_kerja - posisi.nomor_hari_kerja <= p.hari_peringatan
order by b.batas_waktu, b.kode_satker, b.kode_iku, b.butir;

comment on view iku.jatuh_tempo is
'Peringatan dini: butir yang belum selesai dan batas waktunya jatuh dalam beberapa hari kerja '
'setelah tanggal posisi (ref.parameter.hari_peringatan, bawaan 5). Belum dihitung IKU.';
comment on column iku.jatuh_tempo.kode_satker is 'Kode satker';
comment on column iku.jatuh_tempo.kode_iku is 'IKU-1 sampai IKU-6';
comment on column iku.jatuh_tempo.indikator is 'Teks indikator (ref.iku)';
comment on column iku.jatuh_tempo.butir is 'Butir yang jatuh tempo, dengan kata-kata sumbernya';
comment on column iku.jatuh_tempo.batas_waktu is 'Batas waktu butir';
comment on column iku.jatuh_tempo.hari_kerja_tersisa is
'Hari kerja setelah tanggal posisi sampai dengan batas waktu; 0 = jatuh tempo hari ini';
