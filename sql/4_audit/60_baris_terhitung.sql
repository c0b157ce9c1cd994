-- audit.baris_terhitung: every loaded row is accounted for, per source: the rows read
-- (mentah, seen through antara.baris) are the rows published in staging, plus the quarantined
-- rows, plus the valid rows superseded by a newer valid row of the same key. "Superseded" is
-- counted here independently of staging's own rule.
-- Grain: one row per source whose counts do not add up.
create or replace view audit.baris_terhitung as
with diterbitkan as (
    select
        'wilayah' as sumber,
        count(*) as diterbitkan
    from staging.wilayah
    union all
    select
        'tps' as sumber,
        count(*) as diterbitkan
    from staging.tps
    union all
    select
        'tahapan' as sumber,
        count(*) as diterbitkan
    from staging.tahapan
    union all
    select
        'logistik' as sumber,
        count(*) as diterbitkan
    from staging.logistik
    union all
    select
        'ppid' as sumber,
        count(*) as diterbitkan
    from staging.ppid
    union all
    select
        'pemilih' as sumber,
        count(*) as diterbitkan
    from staging.pemilih
    union all
    select
        'keuangan' as sumber,
        count(*) as diterbitkan
    from staging.keuangan
    union all
    select
        'sakip' as sumber,
        count(*) as diterbitkan
    from staging.sakip
    union all
    select
        'siakba' as sumber,
        count(*) as diterbitkan
    from staging.siakba
),

posisi as (
    -- The valid rows per key and position (file time, file name, row number); the same
    -- position twice would be identical rows of exports landed under one name and time.
    select
        sumber,
        kode_satker,
        kunci,
        (waktu_file, nama_file, nomor_baris) as posisi,
        count(*) as baris
    from antara.baris
    where sah
    group by all
),

digantikan as (
    -- Per key: every valid row but those at the newest position is superseded.
    select
        sumber,
        sum(baris) - arg_max(baris, posisi) as digantikan
    from posisi
    group by sumber, kode_satker, kunci
),

g as (
    select
        sumber,
        sum(digantikan) as digantikan
    from digantikan
    group by sumber
),

hitungan as (
    select
        b.sumber,
        count(*) as dimuat,
        count(*) filter (where not b.sah) as dikarantina,
        any_value(g.digantikan) as digantikan
    from antara.baris as b
    left join g on b.sumber = g.sumber
    group by b.sumber
)

select
    d.sumber,
    coalesce(h.dimuat, 0) as dimuat,
    d.diterbitkan,
    coalesce(h.dikarantina, 0) as dikarantina,
    coalesce(h.digantikan, 0) as digantikan
from diterbitkan as d
left join hitungan as h on d.sumber = h.sumber
where
    coalesce(h.dimuat, 0) != d.diterbitkan + coalesce(h.dikarantina, 0) + coalesce(h.digantikan, 0);

comment on view audit.baris_terhitung is
'Audit: setiap baris yang dimuat terhitung: dimuat = diterbitkan (staging) + dikarantina + '
'digantikan (baris sah yang diganti baris sah lebih baru dengan kunci sama). Baris di '
'sini = sumber yang tidak cocok.';
