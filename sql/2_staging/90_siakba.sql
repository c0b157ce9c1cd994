-- staging.siakba: the clean typed table of source siakba (SPEC §2).
-- Grain: one row per kode_satker × jenis_pemilihan × nik_pseudonim.
-- The newest valid row wins: of all rows that passed the checks (mentah.siakba.sah), the
-- one from the file with the newest modification time, ties to the later file name, then to
-- the version landed later (an export overwritten with its time kept). Exports are snapshots,
-- so a newer file restates older rows; a quarantined row never replaces a valid one.
create or replace view staging.siakba as
select * exclude (sah, aturan, pesan, terbaca)
from mentah.siakba
where sah
qualify row_number() over (
    partition by
        kode_satker,
        jenis_pemilihan,
        nik_pseudonim
    order by waktu_file desc, nama_file desc, diterima_pada desc, nomor_baris desc
) = 1;

comment on view staging.siakba is
'Anggota KPPS hasil seleksi (SIAKBA) per TPS: baris sah terbaru per kunci (jenis_pemilihan, '
'nik_pseudonim). Sumber: SIAKBA (Sistem Informasi Anggota KPU dan Badan Adhoc); dipakai untuk '
'IKU-6.';


-- karantina.siakba: the quarantined member rows of each TPS, for the reason of IKU-6 (SPEC §4).
-- Grain: one row per kode_satker × jenis_pemilihan × kode_desa × nomor_tps that has at least
--   one such row. A quarantined row is no member (it completes no TPS); this names its data
--   error on a TPS that is not on time. Only rows the job still uses for that TPS count:
--   - a member (Jenis Pemilihan + NIK pseudonym) with a valid row in any export is decided by
--     that row (staging.siakba), wherever its TPS: its quarantined rows are not named; of a
--     member with only quarantined rows, the newest row names the member's TPS and error;
--   - a row whose NIK cannot be read (e.g. destroyed by Excel) is no known member: it is
--     named only when its export is the newest one with rows of that TPS and election (a
--     newer export of the TPS restates it, fixed or left out);
--   - a row whose Jenis Pemilihan, Kode Desa or Nomor TPS cannot be read belongs to no TPS,
--     and a row whose Status Seleksi reads other than Lulus could not have been a member:
--     neither is named (dq.issues lists every quarantined row).
-- alasan_data names the rule, file and row of at most three rows (the newest export first),
--   then how many more, in parentheses like the file and row (laporan.penyebab leaves out
--   what names one item); never the row's contents (no NIK, name or date).
create or replace view karantina.siakba as
with dikarantina as (
    select
        kode_satker,
        jenis_pemilihan,
        nik_pseudonim,
        kode_desa,
        nomor_tps,
        status_seleksi,
        aturan,
        nama_file,
        nomor_baris,
        waktu_file,
        diterima_pada
    from mentah.siakba
    where not sah and jenis_pemilihan is not null
),

anggota as (
    -- the newest quarantined row of each member without any valid row
    select d.*
    from dikarantina as d
    left join mentah.siakba as s
        on
            d.kode_satker = s.kode_satker
            and d.jenis_pemilihan = s.jenis_pemilihan
            and d.nik_pseudonim = s.nik_pseudonim
            and s.sah
    where d.nik_pseudonim is not null and s.nik_pseudonim is null
    qualify row_number() over (
        partition by d.kode_satker, d.jenis_pemilihan, d.nik_pseudonim
        order by d.waktu_file desc, d.nama_file desc, d.diterima_pada desc, d.nomor_baris desc
    ) = 1
),

tps_tanpa_nik as (
    -- the TPS that have a quarantined row whose NIK cannot be read
    select distinct
        kode_satker,
        jenis_pemilihan,
        kode_desa,
        nomor_tps
    from dikarantina
    where nik_pseudonim is null
),

ekspor_terbaru as (
    -- of those TPS: the newest export with any of their rows, valid or quarantined
    select
        s.kode_satker,
        s.jenis_pemilihan,
        s.kode_desa,
        s.nomor_tps,
        max((s.waktu_file, s.nama_file, s.diterima_pada)) as ekspor
    from mentah.siakba as s
    inner join tps_tanpa_nik as t
        on
            s.kode_satker = t.kode_satker
            and s.jenis_pemilihan = t.jenis_pemilihan
            and s.kode_desa = t.kode_desa
            and s.nomor_tps = t.nomor_tps
    group by s.kode_satker, s.jenis_pemilihan, s.kode_desa, s.nomor_tps
),

tanpa_nik as (
    select d.*
    from dikarantina as d
    inner join ekspor_terbaru as e
        on
            d.kode_satker = e.kode_satker
            and d.jenis_pemilihan = e.jenis_pemilihan
            and d.kode_desa = e.kode_desa
            and d.nomor_tps = e.nomor_tps
            and (d.waktu_file, d.nama_file, d.diterima_pada) = e.ekspor
    where d.nik_pseudonim is null
),

baris as (
    select * from anggota
    union all
    select * from tanpa_nik
)

select
    kode_satker,
    jenis_pemilihan,
    kode_desa,
    nomor_tps,
    count(*) as jumlah_baris,
    array_to_string(
        list(
            antara.alasan_data_tidak_valid(aturan, nama_file, nomor_baris)
            order by waktu_file desc, nama_file asc, diterima_pada desc, nomor_baris asc
        )[1:3],
        '; '
    )
    || case
        when count(*) > 3
            then ' (dan ' || cast(count(*) - 3 as varchar) || ' baris anggota lain dikarantina)'
        else ''
    end as alasan_data
from baris
where
    kode_desa is not null
    and nomor_tps is not null
    and coalesce(status_seleksi = 'Lulus', true)
group by kode_satker, jenis_pemilihan, kode_desa, nomor_tps;

comment on view karantina.siakba is
'Baris anggota KPPS yang dikarantina per TPS, yang masih dipakai untuk TPS itu: alasan '
'kesalahan datanya untuk IKU-6 (baris yang dikarantina bukan anggota dan tidak melengkapi '
'KPPS). Tidak termasuk anggota yang punya baris sah, baris tanpa NIK terbaca dari ekspor yang '
'lebih lama dari ekspor terbaru TPS itu, baris yang pemilihan, desa atau nomor TPS-nya tidak '
'terbaca, dan baris berstatus selain Lulus.';
comment on column karantina.siakba.kode_satker is 'Kode satker, mis. 6204';
comment on column karantina.siakba.jenis_pemilihan is 'Jenis pemilihan, mis. Pemilu 2024';
comment on column karantina.siakba.kode_desa is 'Kode Kemendagri desa/kelurahan letak TPS';
comment on column karantina.siakba.nomor_tps is 'Nomor TPS di desa/kelurahan';
comment on column karantina.siakba.jumlah_baris is 'Jumlah baris anggota TPS ini yang dikarantina';
comment on column karantina.siakba.alasan_data is
'Kesalahan data: aturan yang dilanggar, file dan nomor baris (paling banyak tiga baris, '
'ekspor terbaru dulu), lalu jumlah baris lainnya; tanpa isi baris';
