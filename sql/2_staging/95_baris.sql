-- antara.baris: every loaded row of every source in one shape, for what looks at all sources
-- at once (dq.quarantine, audit.baris_terhitung).
-- Grain: one row per row of mentah.<source>: source × kode_satker × file × row.
-- kunci is the business key as text, its parts joined by " | " (antara.bagian_kunci); isi the
-- publishable columns as JSON: the row of mentah.<source> without its provenance and verdict
-- (antara.isi).

-- A row of mentah.<source> as JSON without the columns every source's table has (kode_satker,
-- provenance, verdict: warehouse/staging.py): what is left are the source's own publishable
-- columns, in their declared order. A null in the patch removes that key (RFC 7396).
create or replace macro antara.isi(baris) as
json_merge_patch(
    to_json(baris),
    '{"kode_satker": null, "nama_file": null, "nomor_baris": null, "waktu_file": null, '
    || '"sha256_file": null, "diterima_pada": null, "sah": null, "aturan": null, "pesan": null, '
    || '"terbaca": null}'
);

comment on macro antara.isi is -- noqa: PRS
'Isi satu baris mentah.<sumber> sebagai JSON: kolom sumber yang boleh diterbitkan, tanpa '
'kode satker, asal file dan putusan pemeriksaan.';

-- One part of a key as text, for kunci. audit.baris_terhitung counts a source's keys by kunci,
-- so two keys must never give the same text: a part may itself hold " | " (a Kode Barang
-- "B1 | X" at "Gudang" and "B1" at "X | Gudang"), so a "|" inside a part gets a "\" before
-- it: every "|" of the separator then follows a space, every "|" of a part a "\". Left as
-- they were, two such lines read as one key, one of them seemed superseded, and the audit
-- stopped the whole run from publishing.
create or replace macro antara.bagian_kunci(bagian) as
replace(cast(bagian as varchar), '|', '\|');

comment on macro antara.bagian_kunci is -- noqa: PRS
'Satu bagian kunci sebagai teks untuk antara.baris.kunci: "|" di dalamnya diberi "\" di '
'depannya, sehingga dua kunci yang berbeda tidak pernah menjadi teks yang sama.';

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
    antara.isi(wilayah) as isi
from mentah.wilayah
union all
select
    'tps' as sumber,
    kode_satker,
    concat_ws(
        ' | ',
        antara.bagian_kunci(jenis_pemilihan),
        antara.bagian_kunci(kode_desa),
        antara.bagian_kunci(nomor_tps)
    ) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    antara.isi(tps) as isi
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
    antara.isi(tahapan) as isi
from mentah.tahapan
union all
select
    'logistik' as sumber,
    kode_satker,
    concat_ws(
        ' | ',
        antara.bagian_kunci(tahun),
        antara.bagian_kunci(kode_barang),
        antara.bagian_kunci(lokasi_gudang)
    ) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    antara.isi(logistik) as isi
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
    antara.isi(ppid) as isi
from mentah.ppid
union all
select
    'pemilih' as sumber,
    kode_satker,
    concat_ws(
        ' | ',
        antara.bagian_kunci(tahun),
        antara.bagian_kunci(triwulan),
        antara.bagian_kunci(kode_desa)
    ) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    antara.isi(pemilih) as isi
from mentah.pemilih
union all
select
    'keuangan' as sumber,
    kode_satker,
    concat_ws(
        ' | ',
        antara.bagian_kunci(nip),
        antara.bagian_kunci(jenis_laporan),
        antara.bagian_kunci(periode_laporan)
    ) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    antara.isi(keuangan) as isi
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
    antara.isi(sakip) as isi
from mentah.sakip
union all
select
    'siakba' as sumber,
    kode_satker,
    concat_ws(
        ' | ',
        antara.bagian_kunci(jenis_pemilihan),
        antara.bagian_kunci(nik_pseudonim)
    ) as kunci,
    nama_file,
    nomor_baris,
    waktu_file,
    sah,
    aturan,
    pesan,
    antara.isi(siakba) as isi
from mentah.siakba;

comment on view antara.baris is
'Setiap baris yang dimuat dari semua sumber dalam satu bentuk: sumber, kunci bisnis sebagai teks, '
'asal (file, baris, waktu), putusan pemeriksaan, dan isi baris sebagai JSON.';
comment on column antara.baris.sumber is 'Sumber data';
comment on column antara.baris.kode_satker is 'Kode satker';
comment on column antara.baris.kunci is
'Kunci bisnis baris sebagai teks, bagian dipisah " | " ("|" di dalam bagian diberi "\" di '
'depannya)';
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
