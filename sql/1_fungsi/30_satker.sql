-- antara.satker: every KPU satker the project knows, with its level and province (a helper).
-- Grain: one row per kode_satker: KPU RI (00), the 38 KPU Provinsi (the province code), the
--   514 KPU Kabupaten/Kota (the kabupaten/kota code without dots), and any other code an
--   admin lists in ref.satker.
-- nama_satker: the admin's name in ref.satker when there is one, else "KPU <area name>".
create or replace view antara.satker as
with wilayah as (
    select
        '00' as kode_satker,
        'KPU RI' as nama_wilayah,
        'pusat' as tingkat,
        null as kode_provinsi
    union all
    select
        kode_provinsi as kode_satker,
        'KPU Provinsi ' || nama_provinsi as nama_wilayah,
        'provinsi' as tingkat,
        kode_provinsi
    from ref.provinsi
    union all
    select
        kode_kabupaten_kota as kode_satker,
        'KPU ' || nama_kabupaten_kota as nama_wilayah,
        'kabupaten/kota' as tingkat,
        kode_provinsi
    from ref.kabupaten_kota
)

select
    coalesce(w.kode_satker, s.kode_satker) as kode_satker,
    coalesce(s.nama_satker, w.nama_wilayah) as nama_satker,
    coalesce(w.tingkat, 'lainnya') as tingkat,
    w.kode_provinsi,
    p.nama_provinsi
from wilayah as w
full outer join ref.satker as s on w.kode_satker = s.kode_satker
left join ref.provinsi as p on w.kode_provinsi = p.kode_provinsi;

comment on view antara.satker is
'Semua satker KPU: KPU RI, KPU Provinsi, KPU Kabupaten/Kota (kode Kemendagri) dan satker lain '
'di ref.satker, dengan tingkat dan provinsinya.';
comment on column antara.satker.kode_satker is 'Kode satker';
comment on column antara.satker.nama_satker is 'Nama satker (ref.satker, atau KPU + nama wilayah)';
comment on column antara.satker.tingkat is 'pusat, provinsi, kabupaten/kota, atau lainnya';
comment on column antara.satker.kode_provinsi is 'Kode provinsi; kosong untuk KPU RI';
comment on column antara.satker.nama_provinsi is 'Nama provinsi';
