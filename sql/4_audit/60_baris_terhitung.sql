-- audit.baris_terhitung: every loaded row is accounted for, per source: the rows read
-- (mentah, seen through antara.baris) are the rows published in staging (as the build
-- counted them into meta.staging), plus the quarantined rows, plus the valid rows
-- superseded by a newer valid row of the same key. "Superseded" is counted here
-- independently of staging's own rule: of a key's valid rows, all but one.
-- Grain: one row per source whose counts do not add up.
-- antara.kunci_sah(s): how many keys of source s have a valid row (for the audit below).
create or replace macro antara.kunci_sah(s) as table
    select
        s as sumber,
        count(*) as kunci
    from (
        select distinct
            kode_satker,
            kunci
        from antara.baris
        where sah and sumber = s
    ) as k;

comment on macro table antara.kunci_sah is -- noqa: PRS
'Untuk audit.baris_terhitung: jumlah kunci satu sumber yang punya baris sah (satu DISTINCT '
'per sumber).';

create or replace view audit.baris_terhitung as
with diterbitkan as (
    -- The rows of each staging table, as the build counted them (meta.staging: once, the
    -- staging views pick the newest row per key over all of a source's rows).
    select
        sumber,
        baris as diterbitkan
    from meta.staging
),

kunci_sah as (
    -- Per source, the keys that have a valid row: each keeps exactly one row, every other
    -- valid row of the key is superseded. One DISTINCT per source (antara.kunci_sah), not one
    -- grouping over all sources' 11 M rows at once, which did not fit in 1 GB at 514 satkers.
    select * from antara.kunci_sah('wilayah')
    union all
    select * from antara.kunci_sah('tps')
    union all
    select * from antara.kunci_sah('tahapan')
    union all
    select * from antara.kunci_sah('logistik')
    union all
    select * from antara.kunci_sah('ppid')
    union all
    select * from antara.kunci_sah('pemilih')
    union all
    select * from antara.kunci_sah('keuangan')
    union all
    select * from antara.kunci_sah('sakip')
    union all
    select * from antara.kunci_sah('siakba')
),

hitungan as (
    select
        b.sumber,
        count(*) as dimuat,
        count(*) filter (where not b.sah) as dikarantina,
        count(*) filter (where b.sah) - any_value(k.kunci) as digantikan
    from antara.baris as b
    left join kunci_sah as k on b.sumber = k.sumber
    group by b.sumber
)

-- A source with loaded rows that the build did not count fails too (diterbitkan NULL).
select
    coalesce(d.sumber, h.sumber) as sumber,
    coalesce(h.dimuat, 0) as dimuat,
    d.diterbitkan,
    coalesce(h.dikarantina, 0) as dikarantina,
    coalesce(h.digantikan, 0) as digantikan
from diterbitkan as d
full outer join hitungan as h on d.sumber = h.sumber
where
    d.diterbitkan is null
    or coalesce(h.dimuat, 0)
    != d.diterbitkan + coalesce(h.dikarantina, 0) + coalesce(h.digantikan, 0);

comment on view audit.baris_terhitung is
'Audit: setiap baris yang dimuat terhitung: dimuat = diterbitkan (staging) + dikarantina + '
'digantikan (baris sah yang diganti baris sah lebih baru dengan kunci sama). Baris di '
'sini = sumber yang tidak cocok.';
