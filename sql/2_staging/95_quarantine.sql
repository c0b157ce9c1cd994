-- dq.quarantine: every quarantined row of this build, from the loaded rows (mentah), with its
-- rules and messages and its publishable columns as JSON.
-- Grain: one row per source × kode_satker × file × row that is not valid (rows of files
-- rejected for too many errors included).
create or replace view dq.quarantine as
select
    'wilayah' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            kode_wilayah,
            nama_wilayah,
            tingkat
        )
    ) as data  -- noqa: RF04
from mentah.wilayah
where not sah
union all
select
    'tps' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            jenis_pemilihan,
            kode_desa,
            nomor_tps,
            jumlah_pemilih
        )
    ) as data  -- noqa: RF04
from mentah.tps
where not sah
union all
select
    'tahapan' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            kode_tahapan,
            nama_tahapan,
            jenis_pemilihan,
            jadwal_mulai,
            jadwal_selesai,
            realisasi_mulai,
            realisasi_selesai,
            keterangan
        )
    ) as data  -- noqa: RF04
from mentah.tahapan
where not sah
union all
select
    'logistik' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            tahun,
            kode_barang,
            nama_barang,
            kategori,
            lokasi_gudang,
            satuan,
            jumlah_kebutuhan,
            jumlah_tersedia,
            jumlah_baik,
            jumlah_rusak,
            tanggal_inventarisasi,
            tanggal_pemeliharaan
        )
    ) as data  -- noqa: RF04
from mentah.logistik
where not sah
union all
select
    'ppid' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            no_registrasi,
            tanggal_permohonan,
            nik_pseudonim,
            pekerjaan,
            informasi_yang_diminta,
            tujuan_penggunaan,
            cara_memperoleh,
            keputusan,
            alasan_penolakan,
            perpanjangan,
            tanggal_pemberitahuan_perpanjangan,
            tanggal_pemberitahuan_tertulis,
            keberatan
        )
    ) as data  -- noqa: RF04
from mentah.ppid
where not sah
union all
select
    'pemilih' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            tahun,
            triwulan,
            kode_desa,
            nama_desa,
            pemilih_awal_l,
            pemilih_awal_p,
            pemilih_baru_l,
            pemilih_baru_p,
            tms_l,
            tms_p,
            perbaikan_data,
            pemilih_akhir_l,
            pemilih_akhir_p,
            tanggal_pleno
        )
    ) as data  -- noqa: RF04
from mentah.pemilih
where not sah
union all
select
    'keuangan' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            nip,
            nama_pejabat,
            jabatan_perbendaharaan,
            jenis_laporan,
            periode_laporan,
            batas_waktu,
            tanggal_penyampaian
        )
    ) as data  -- noqa: RF04
from mentah.keuangan
where not sah
union all
select
    'sakip' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            tahun,
            nilai,
            predikat
        )
    ) as data  -- noqa: RF04
from mentah.sakip
where not sah
union all
select
    'siakba' as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    to_json(
        struct_pack(
            no_registrasi,
            jenis_pemilihan,
            nik_pseudonim,
            nama_lengkap,
            jenis_kelamin,
            pendidikan_terakhir,
            kode_desa,
            nomor_tps,
            jabatan,
            status_seleksi,
            tanggal_pelantikan
        )
    ) as data  -- noqa: RF04
from mentah.siakba
where not sah;

comment on view dq.quarantine is
'Baris yang dikarantina run ini (tidak dihitung IKU kecuali sebagai butir tidak tepat waktu), '
'dengan alasannya; NIK disamarkan, data pribadi lain dibuang. Termasuk semua baris file yang '
'ditolak karena terlalu banyak baris salah.';
comment on column dq.quarantine.source is 'Sumber data';
comment on column dq.quarantine.kode_satker is 'Kode satker';
comment on column dq.quarantine.file_name is 'Nama file ekspor';
comment on column dq.quarantine.row_number is 'Nomor baris di file';
comment on column dq.quarantine.rules is 'Aturan yang dilanggar, dipisah koma';
comment on column dq.quarantine.messages is 'Penjelasan per aturan';
comment on column dq.quarantine.data is 'Isi baris (kolom yang boleh diterbitkan) sebagai JSON';
