-- antara.baris: every loaded row of every source in one shape, for what looks at all sources
-- at once (dq.quarantine, audit.baris_terhitung).
-- Grain: one row per row of mentah.<source>: source × kode_satker × file × row.
-- kunci is the business key as text; isi the publishable columns as JSON.
create or replace view antara.baris as
select
    'wilayah' as sumber,
    kode_satker,
    concat_ws(' | ', kode_wilayah) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    to_json(struct_pack(kode_wilayah, nama_wilayah, tingkat)) as isi
from mentah.wilayah
union all
select
    'tps' as sumber,
    kode_satker,
    concat_ws(' | ', jenis_pemilihan, kode_desa, nomor_tps) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    to_json(struct_pack(jenis_pemilihan, kode_desa, nomor_tps, jumlah_pemilih)) as isi
from mentah.tps
union all
select
    'tahapan' as sumber,
    kode_satker,
    concat_ws(' | ', kode_tahapan) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
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
    ) as isi
from mentah.tahapan
union all
select
    'logistik' as sumber,
    kode_satker,
    concat_ws(' | ', tahun, kode_barang, lokasi_gudang) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
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
    ) as isi
from mentah.logistik
union all
select
    'ppid' as sumber,
    kode_satker,
    concat_ws(' | ', no_registrasi) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
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
    ) as isi
from mentah.ppid
union all
select
    'pemilih' as sumber,
    kode_satker,
    concat_ws(' | ', tahun, triwulan, kode_desa) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
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
    ) as isi
from mentah.pemilih
union all
select
    'keuangan' as sumber,
    kode_satker,
    concat_ws(' | ', nip, jenis_laporan, periode_laporan) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
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
    ) as isi
from mentah.keuangan
union all
select
    'sakip' as sumber,
    kode_satker,
    concat_ws(' | ', tahun) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    to_json(struct_pack(tahun, nilai, predikat)) as isi
from mentah.sakip
union all
select
    'siakba' as sumber,
    kode_satker,
    concat_ws(' | ', jenis_pemilihan, nik_pseudonim) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
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
    ) as isi
from mentah.siakba;

comment on view antara.baris is
'Setiap baris yang dimuat dari semua sumber dalam satu bentuk: sumber, kunci bisnis sebagai teks, '
'asal (file, baris, waktu), putusan pemeriksaan, dan isi baris sebagai JSON.';
comment on column antara.baris.sumber is 'Sumber data';
comment on column antara.baris.kode_satker is 'Kode satker';
comment on column antara.baris.kunci is 'Kunci bisnis baris sebagai teks, bagian dipisah " | "';
comment on column antara.baris.nama_file is 'Nama file ekspor asal baris';
comment on column antara.baris.nomor_baris is 'Nomor baris di file ekspor';
comment on column antara.baris.waktu_file is 'Waktu modifikasi file ekspor';
comment on column antara.baris.sah is 'Benar bila baris lolos semua pemeriksaan';
comment on column antara.baris.aturan is 'Aturan yang membuat baris dikarantina; kosong bila sah';
comment on column antara.baris.pesan is 'Penjelasan aturan yang dilanggar; kosong bila sah';
comment on column antara.baris.isi is 'Kolom baris yang boleh diterbitkan, sebagai JSON';

-- dq.quarantine: every quarantined row of this build, with its rules and messages and its
-- publishable columns as JSON.
-- Grain: one row per source × kode_satker × file × row that is not valid (rows of files
-- rejected for too many errors included).
create or replace view dq.quarantine as
select
    sumber as source,  -- noqa: RF04
    kode_satker,
    nama_file as file_name,
    cast(nomor_baris as bigint) as row_number,
    aturan as rules,
    pesan as messages,
    isi as data  -- noqa: RF04
from antara.baris
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
