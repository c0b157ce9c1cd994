-- IKU-6 Badan adhoc KPPS dibentuk (SPEC §4).
-- Grain: one row per kode_satker × jenis_pemilihan × kode_desa × nomor_tps: each TPS of
--   staging.tps, and each TPS known only from quarantined rows (karantina.tps), whose
--   election is in ref.pemilihan. TPS of elections missing from ref.pemilihan have no
--   deadline and are not items.
-- Deadline and tanggal acuan: batas_pelantikan_kpps of the election (Pemilu 2024:
--   25 Jan 2024; Pilkada 2024: 7 Nov 2024).
-- Members: staging.siakba rows of the same satker, election, desa and TPS number with
--   Status Seleksi = Lulus. Inaugurations dated after the as-of date are not known yet.
-- Completed: on the day the KPPS is complete, i.e. at least 7 Lulus members inaugurated,
--   one of them Ketua. That day (tanggal_selesai) is the later of the 7th inauguration and
--   the first inauguration of a Ketua.
-- Counted and on time: the common item status (antara.dihitung, antara.tepat_waktu).
-- Reason: the common one (antara.alasan); when the TPS is not on time and some of its member
--   rows were quarantined (karantina.siakba, already one row per TPS), it also names their
--   data errors: those rows are no members, so they may be why the KPPS is not complete.
-- On-time rule of IKU-6: tanggal_selesai <= deadline, which is the same as: at least 7
--   Lulus members with Tanggal Pelantikan <= deadline, one of them Ketua.
create or replace view iku.iku6_kpps as
with tps_butir as (
    select
        *,
        null as alasan_data
    from staging.tps
    union all by name
    select * from karantina.tps
),

tps as (
    select
        t.kode_satker,
        t.jenis_pemilihan,
        t.kode_desa,
        t.nomor_tps,
        w.nama_wilayah as nama_desa,
        e.batas_pelantikan_kpps as batas_waktu,
        t.alasan_data,
        t.nama_file,
        t.nomor_baris,
        p.tanggal_posisi
    from tps_butir as t
    inner join ref.pemilihan as e on t.jenis_pemilihan = e.jenis_pemilihan
    cross join ref.parameter as p
    left join staging.wilayah as w
        on t.kode_satker = w.kode_satker and t.kode_desa = w.kode_wilayah
),

lulus as (
    select
        s.kode_satker,
        s.jenis_pemilihan,
        s.kode_desa,
        s.nomor_tps,
        s.jabatan,
        e.batas_pelantikan_kpps as batas_waktu,
        case
            when s.tanggal_pelantikan <= p.tanggal_posisi then s.tanggal_pelantikan
        end as tanggal_dilantik
    from staging.siakba as s
    inner join ref.pemilihan as e on s.jenis_pemilihan = e.jenis_pemilihan
    cross join ref.parameter as p
    where s.status_seleksi = 'Lulus'
),

anggota as (
    -- Per TPS, its Lulus members at once; joined to its TPS below one to one.
    select
        kode_satker,
        jenis_pemilihan,
        kode_desa,
        nomor_tps,
        count(jabatan) as jumlah_lulus,
        count(tanggal_dilantik) as jumlah_dilantik,
        count(*) filter (where tanggal_dilantik <= batas_waktu) as jumlah_dilantik_tepat_waktu,
        coalesce(
            bool_or(jabatan = 'Ketua' and tanggal_dilantik <= batas_waktu), false
        ) as ketua_dilantik_tepat_waktu,
        -- the 7th inauguration: the 7th of the TPS's inauguration dates in date order
        list_sort(list(tanggal_dilantik) filter (where tanggal_dilantik is not null))[7]
            as tanggal_anggota_ketujuh,
        min(tanggal_dilantik) filter (where jabatan = 'Ketua') as tanggal_ketua_dilantik
    from lulus
    group by kode_satker, jenis_pemilihan, kode_desa, nomor_tps
),

per_tps as (
    select
        t.kode_satker,
        t.jenis_pemilihan,
        t.kode_desa,
        t.nomor_tps,
        t.nama_desa,
        t.batas_waktu,
        t.tanggal_posisi,
        t.alasan_data,
        t.nama_file,
        t.nomor_baris,
        coalesce(u.jumlah_lulus, 0) as jumlah_lulus,
        coalesce(u.jumlah_dilantik, 0) as jumlah_dilantik,
        coalesce(u.jumlah_dilantik_tepat_waktu, 0) as jumlah_dilantik_tepat_waktu,
        coalesce(u.ketua_dilantik_tepat_waktu, false) as ketua_dilantik_tepat_waktu,
        u.tanggal_anggota_ketujuh,
        u.tanggal_ketua_dilantik,
        k.alasan_data as alasan_anggota
    from tps as t
    left join anggota as u
        on
            t.kode_satker = u.kode_satker
            and t.jenis_pemilihan = u.jenis_pemilihan
            and t.kode_desa = u.kode_desa
            and t.nomor_tps = u.nomor_tps
    left join karantina.siakba as k
        on
            t.kode_satker = k.kode_satker
            and t.jenis_pemilihan = k.jenis_pemilihan
            and t.kode_desa = k.kode_desa
            and t.nomor_tps = k.nomor_tps
),

selesai as (
    select
        *,
        case
            when tanggal_anggota_ketujuh is not null and tanggal_ketua_dilantik is not null
                then greatest(tanggal_anggota_ketujuh, tanggal_ketua_dilantik)
        end as tanggal_selesai
    from per_tps
),

dinilai as (
    select
        *,
        tanggal_selesai is not null as selesai,
        antara.dihitung(
            tanggal_selesai is not null, batas_waktu, tanggal_posisi, alasan_data
        ) as dihitung,
        antara.tepat_waktu(
            tanggal_selesai is not null, tanggal_selesai <= batas_waktu, alasan_data
        ) as tepat_waktu
    from selesai
)

select
    'IKU-6' as kode_iku,
    kode_satker,
    jenis_pemilihan,
    kode_desa,
    nama_desa,
    nomor_tps,
    jumlah_lulus,
    jumlah_dilantik,
    jumlah_dilantik_tepat_waktu,
    ketua_dilantik_tepat_waktu,
    tanggal_selesai,
    batas_waktu,
    batas_waktu as tanggal_acuan,
    cast(year(batas_waktu) as integer) as tahun,
    cast(quarter(batas_waktu) as integer) as triwulan,
    selesai,
    dihitung,
    tepat_waktu,
    case
        when not tepat_waktu
            then concat_ws(
                '; ',
                antara.alasan(
                    dihitung,
                    tepat_waktu,
                    alasan_data,
                    'KPPS belum lengkap dilantik',
                    case
                        when selesai
                            then
                                'KPPS lengkap (7 anggota Lulus dengan Ketua) baru dilantik '
                                || 'setelah batas waktu'
                        else concat_ws(
                            '; ',
                            case
                                when jumlah_dilantik_tepat_waktu < 7
                                    then
                                        'Anggota Lulus yang dilantik tepat waktu hanya '
                                        || cast(jumlah_dilantik_tepat_waktu as varchar)
                                        || ' dari 7'
                            end,
                            case
                                when not ketua_dilantik_tepat_waktu
                                    then 'Tidak ada Ketua Lulus yang dilantik tepat waktu'
                            end
                        )
                    end
                ),
                alasan_anggota
            )
    end as alasan,
    alasan_data is not null as data_tidak_valid,
    nama_file,
    nomor_baris
from dinilai;

comment on view iku.iku6_kpps is
'IKU-6 badan adhoc KPPS dibentuk: satu baris per TPS per pemilihan. Tepat waktu bila '
'minimal 7 anggota berstatus Lulus dilantik paling lambat batas pelantikan pemilihan itu '
'(ref.pemilihan), salah satunya Ketua.';
comment on column iku.iku6_kpps.kode_satker is 'Kode satker, mis. 6204';
comment on column iku.iku6_kpps.jenis_pemilihan is 'Jenis pemilihan, mis. Pemilu 2024';
comment on column iku.iku6_kpps.kode_desa is 'Kode Kemendagri desa/kelurahan letak TPS';
comment on column iku.iku6_kpps.nama_desa is 'Nama desa/kelurahan letak TPS';
comment on column iku.iku6_kpps.nomor_tps is 'Nomor TPS di desa/kelurahan';
comment on column iku.iku6_kpps.jumlah_lulus is 'Jumlah anggota KPPS berstatus Lulus';
comment on column iku.iku6_kpps.jumlah_dilantik is
'Jumlah anggota Lulus yang dilantik paling lambat tanggal posisi';
comment on column iku.iku6_kpps.jumlah_dilantik_tepat_waktu is
'Jumlah anggota Lulus yang dilantik paling lambat batas waktu';
comment on column iku.iku6_kpps.ketua_dilantik_tepat_waktu is
'Benar bila ada Ketua berstatus Lulus yang dilantik paling lambat batas waktu';
comment on column iku.iku6_kpps.tanggal_selesai is
'Tanggal KPPS lengkap: yang terakhir dari pelantikan anggota Lulus ke-7 dan pelantikan '
'Ketua pertama; kosong bila belum lengkap pada tanggal posisi';
comment on column iku.iku6_kpps.batas_waktu is 'Batas pelantikan KPPS pemilihan ini';
comment on column iku.iku6_kpps.tanggal_acuan is
'Tanggal acuan yang menempatkan butir pada tahun dan triwulan: batas waktu';
comment on column iku.iku6_kpps.tahun is 'Tahun tanggal acuan';
comment on column iku.iku6_kpps.triwulan is 'Triwulan tanggal acuan, 1 sampai 4';
comment on column iku.iku6_kpps.selesai is
'Benar bila KPPS lengkap dilantik paling lambat tanggal posisi';
comment on column iku.iku6_kpps.dihitung is
'Benar bila masuk penyebut: KPPS sudah lengkap, atau batas waktu sebelum tanggal posisi';
comment on column iku.iku6_kpps.tepat_waktu is
'Benar bila masuk pembilang: minimal 7 anggota Lulus termasuk Ketua dilantik paling lambat '
'batas waktu';
comment on column iku.iku6_kpps.alasan is
'Alasan bila tidak dihitung atau tidak tepat waktu; kosong (NULL) bila tepat waktu. Bila ada '
'baris anggota TPS ini yang dikarantina (karantina.siakba), alasan juga menyebut kesalahan '
'datanya: aturan, file dan nomor baris (paling banyak tiga baris, lalu jumlah lainnya)';
comment on column iku.iku6_kpps.kode_iku is 'Kode IKU butir ini';
comment on column iku.iku6_kpps.data_tidak_valid is
'Benar bila butir hanya dikenal dari baris yang dikarantina: dihitung bila jatuh tempo, '
'tidak pernah tepat waktu';
comment on column iku.iku6_kpps.nama_file is 'File ekspor asal baris butir ini';
comment on column iku.iku6_kpps.nomor_baris is 'Nomor baris butir ini di file ekspor';
