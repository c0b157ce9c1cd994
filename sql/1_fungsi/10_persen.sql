-- antara.persen(pembilang, penyebut): 100 * pembilang / penyebut as a percentage with two
-- decimals, rounded half up, NULL when penyebut is 0 (SPEC §4:
-- realisasi = round(100 * pembilang / penyebut, 2)).
-- Computed in integer arithmetic: (20000 * p + q) // (2 * q) is 10000 * p / q rounded half
-- up, i.e. the percentage in hundredths. A floating-point division would round some exact
-- halves down (3 / 4000 = 0.075 % would become 0.07 instead of 0.08).
-- Both arguments are whole numbers; for decimals pass them in hundredths (see iku.capaian).
create or replace macro antara.persen(pembilang, penyebut) as
case
    when penyebut > 0
        then
            cast((20000 * pembilang + penyebut) // (2 * penyebut) as decimal(18, 0))
            * 0.01
end;

comment on macro antara.persen is -- noqa: PRS
'Persentase 100 * pembilang / penyebut, dibulatkan setengah ke atas menjadi 2 desimal; '
'NULL bila penyebut 0. Argumen bilangan bulat.';
