-- audit.baris_terhitung: every loaded row is accounted for, per source: the rows read
-- (mentah) are the rows published in staging, plus the quarantined rows, plus the valid
-- rows superseded by a newer valid row of the same key. "Superseded" is counted here
-- independently of staging's own rule (dq.quarantine lists the quarantined rows).
-- Grain: one row per source whose counts do not add up.
create or replace view audit.baris_terhitung as
with hitungan as (
    select
        'wilayah' as sumber,
        (select count(*) from mentah.wilayah) as dimuat,
        (select count(*) from staging.wilayah) as diterbitkan,
        (
            select count(*)
            from mentah.wilayah
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.wilayah as m
            where
                m.sah
                and exists (
                    from mentah.wilayah as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.kode_wilayah = m.kode_wilayah
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'tps' as sumber,
        (select count(*) from mentah.tps) as dimuat,
        (select count(*) from staging.tps) as diterbitkan,
        (
            select count(*)
            from mentah.tps
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.tps as m
            where
                m.sah
                and exists (
                    from mentah.tps as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.jenis_pemilihan = m.jenis_pemilihan
                        and n.kode_desa = m.kode_desa
                        and n.nomor_tps = m.nomor_tps
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'tahapan' as sumber,
        (select count(*) from mentah.tahapan) as dimuat,
        (select count(*) from staging.tahapan) as diterbitkan,
        (
            select count(*)
            from mentah.tahapan
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.tahapan as m
            where
                m.sah
                and exists (
                    from mentah.tahapan as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.kode_tahapan = m.kode_tahapan
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'logistik' as sumber,
        (select count(*) from mentah.logistik) as dimuat,
        (select count(*) from staging.logistik) as diterbitkan,
        (
            select count(*)
            from mentah.logistik
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.logistik as m
            where
                m.sah
                and exists (
                    from mentah.logistik as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.tahun = m.tahun
                        and n.kode_barang = m.kode_barang
                        and n.lokasi_gudang = m.lokasi_gudang
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'ppid' as sumber,
        (select count(*) from mentah.ppid) as dimuat,
        (select count(*) from staging.ppid) as diterbitkan,
        (
            select count(*)
            from mentah.ppid
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.ppid as m
            where
                m.sah
                and exists (
                    from mentah.ppid as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.no_registrasi = m.no_registrasi
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'pemilih' as sumber,
        (select count(*) from mentah.pemilih) as dimuat,
        (select count(*) from staging.pemilih) as diterbitkan,
        (
            select count(*)
            from mentah.pemilih
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.pemilih as m
            where
                m.sah
                and exists (
                    from mentah.pemilih as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.tahun = m.tahun
                        and n.triwulan = m.triwulan
                        and n.kode_desa = m.kode_desa
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'keuangan' as sumber,
        (select count(*) from mentah.keuangan) as dimuat,
        (select count(*) from staging.keuangan) as diterbitkan,
        (
            select count(*)
            from mentah.keuangan
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.keuangan as m
            where
                m.sah
                and exists (
                    from mentah.keuangan as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.nip = m.nip
                        and n.jenis_laporan = m.jenis_laporan
                        and n.periode_laporan = m.periode_laporan
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'sakip' as sumber,
        (select count(*) from mentah.sakip) as dimuat,
        (select count(*) from staging.sakip) as diterbitkan,
        (
            select count(*)
            from mentah.sakip
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.sakip as m
            where
                m.sah
                and exists (
                    from mentah.sakip as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.tahun = m.tahun
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
    union all
    select
        'siakba' as sumber,
        (select count(*) from mentah.siakba) as dimuat,
        (select count(*) from staging.siakba) as diterbitkan,
        (
            select count(*)
            from mentah.siakba
            where not sah
        ) as dikarantina,
        (
            select count(*)
            from mentah.siakba as m
            where
                m.sah
                and exists (
                    from mentah.siakba as n
                    where
                        n.sah
                        and n.kode_satker = m.kode_satker
                        and n.jenis_pemilihan = m.jenis_pemilihan
                        and n.nik_pseudonim = m.nik_pseudonim
                        and (n.waktu_file, n.nama_file, n.nomor_baris)
                        > (m.waktu_file, m.nama_file, m.nomor_baris)
                )
        ) as digantikan
)

select *
from hitungan
where dimuat != diterbitkan + dikarantina + digantikan;

comment on view audit.baris_terhitung is
'Audit: setiap baris yang dimuat terhitung: dimuat = diterbitkan (staging) + dikarantina + '
'digantikan (baris sah yang diganti baris sah lebih baru dengan kunci sama). Baris di '
'sini = sumber yang tidak cocok.';
