-- audit.satu_baris_per_butir: every detail view has one row per item key (its grain).
-- Grain: one row per view and key that appears more than once.
create or replace view audit.satu_baris_per_butir as
select
    'iku.iku1_tahapan' as view_name,
    kode_satker,
    concat_ws(' | ', kode_tahapan) as kunci,
    count(*) as jumlah_baris
from iku.iku1_tahapan
group by kode_satker, kode_tahapan
having count(*) > 1
union all
select
    'iku.iku2_logistik' as view_name,
    kode_satker,
    concat_ws(' | ', tahun, kode_barang, lokasi_gudang) as kunci,
    count(*) as jumlah_baris
from iku.iku2_logistik
group by kode_satker, tahun, kode_barang, lokasi_gudang
having count(*) > 1
union all
select
    'iku.iku3_ppid' as view_name,
    kode_satker,
    concat_ws(' | ', no_registrasi) as kunci,
    count(*) as jumlah_baris
from iku.iku3_ppid
group by kode_satker, no_registrasi
having count(*) > 1
union all
select
    'iku.iku4_pemilih' as view_name,
    kode_satker,
    concat_ws(' | ', kode_desa, tahun, triwulan) as kunci,
    count(*) as jumlah_baris
from iku.iku4_pemilih
group by kode_satker, kode_desa, tahun, triwulan
having count(*) > 1
union all
select
    'iku.iku5_keuangan' as view_name,
    kode_satker,
    concat_ws(' | ', nip, jenis_laporan, periode_laporan) as kunci,
    count(*) as jumlah_baris
from iku.iku5_keuangan
group by kode_satker, nip, jenis_laporan, periode_laporan
having count(*) > 1
union all
select
    'iku.iku5_pejabat' as view_name,
    kode_satker,
    concat_ws(' | ', nip, tahun, coalesce(cast(triwulan as varchar), 'setahun')) as kunci,
    count(*) as jumlah_baris
from iku.iku5_pejabat
group by kode_satker, nip, tahun, triwulan
having count(*) > 1
union all
select
    'iku.iku6_kpps' as view_name,
    kode_satker,
    concat_ws(' | ', jenis_pemilihan, kode_desa, nomor_tps) as kunci,
    count(*) as jumlah_baris
from iku.iku6_kpps
group by kode_satker, jenis_pemilihan, kode_desa, nomor_tps
having count(*) > 1
union all
select
    'iku.sakip' as view_name,
    kode_satker,
    concat_ws(' | ', tahun) as kunci,
    count(*) as jumlah_baris
from iku.sakip
group by kode_satker, tahun
having count(*) > 1;

comment on view audit.satu_baris_per_butir is
'Audit: setiap view rincian IKU memuat satu baris per kunci butir. Baris di sini = kunci '
'yang muncul lebih dari sekali.';
