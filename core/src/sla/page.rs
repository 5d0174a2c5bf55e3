//! The month's SLA report as a page a person reads (seed 002 annex 2 §3–5): one
//! self-contained HTML5 page in French — inline CSS and SVG, no script, no external
//! resource — with the indicators, the daily availability and response-time charts (their
//! figures also in tables), the excluded windows and the incidents with their deadlines.
//! Pure: the caller loads the report and the incidents, and gives the time.

use std::fmt::Write;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

use super::api::Api;
use super::rapport::{Indicateurs, Jour, RapportSla, bornes};
use dude_modele::dossier::codes::Coded;

/// One incident as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LigneIncident {
    pub id: String,
    /// French label, e.g. "Disponibilité de service".
    pub type_incident: String,
    /// French label.
    pub origine: String,
    /// API label.
    pub api: Option<String>,
    pub convention: Option<String>,
    /// Current step label.
    pub etat: String,
    pub detecte_le: DateTime<Utc>,
    /// (step label, deadline, done at, breached).
    pub echeances: Vec<LigneEcheance>,
}

/// A deadline of an incident: (step label, deadline, done at, breached).
pub type LigneEcheance = (String, DateTime<Utc>, Option<DateTime<Utc>>, bool);

const MOIS: &str = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre";
/// Narrow no-break space: thousands separator and before units.
const FINE: char = '\u{202f}';

pub const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;\
max-width:72rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.45}\
h1{font-size:1.6rem;margin-bottom:.3rem}h2{margin-top:2rem;border-bottom:2px solid #333}h3{margin-bottom:.3rem}\
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.88rem}\
caption{text-align:left;font-weight:600;padding:.3rem 0}\
th,td{border:1px solid #8a8a8a;padding:.25rem .4rem;vertical-align:top;text-align:left}\
thead th{background:#ececec}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\
tr.total th,tr.total td{font-weight:700;border-top:3px double #333}\
.ko{font-weight:700;background:repeating-linear-gradient(45deg,#fbdada 0 5px,#fff 5px 10px);\
print-color-adjust:exact;-webkit-print-color-adjust:exact}.cible{color:#444;font-size:.8rem}\
figure{margin:1rem 0;break-inside:avoid}svg.graphique{width:100%;max-width:760px;height:auto;display:block}\
figcaption{font-size:.85rem;color:#333}details{margin:.3rem 0 1rem}summary{cursor:pointer}\
@media print{body{max-width:none;padding:0;font-size:10pt}h2,h3{break-after:avoid}tr{break-inside:avoid}\
@page{size:A4 landscape;margin:12mm}}";

/// HTML-escapes a string coming from data.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn grouper(chiffres: &str) -> String {
    let n = chiffres.len();
    let mut o = String::new();
    for (i, c) in chiffres.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            o.push(FINE);
        }
        o.push(c);
    }
    o
}

/// `30842` → "30 842".
fn entier(n: u64) -> String {
    grouper(&n.to_string())
}

/// French decimal: comma separator, grouped thousands.
fn decimal(x: f64, decimales: usize) -> String {
    let s = format!("{:.*}", decimales, x.abs());
    let (e, d) = s.split_once('.').unwrap_or((&s, ""));
    let signe = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    if d.is_empty() { format!("{signe}{}", grouper(e)) } else { format!("{signe}{},{d}", grouper(e)) }
}

fn pourcent(x: f64) -> String {
    format!("{}{FINE}%", decimal(x, 2))
}

fn millis(x: f64) -> String {
    format!("{}{FINE}ms", decimal(x, if x < 10.0 { 1 } else { 0 }))
}

/// Paris time, `22/11/2026 10:02`.
fn heure(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%d/%m/%Y %H:%M").to_string()
}

/// `2026-11` → "novembre 2026".
fn mois_fr(mois: &str) -> String {
    match mois.split_once('-').and_then(|(a, m)| Some((a, m.parse::<usize>().ok()?))) {
        Some((a, m)) if (1..=12).contains(&m) => format!("{} {}", MOIS.split(' ').nth(m - 1).unwrap_or(""), esc(a)),
        _ => esc(mois),
    }
}

fn libelle_api(code: &str) -> String {
    Api::from_code(code).map(|a| a.libelle().to_string()).unwrap_or_else(|_| code.to_string())
}

/// A step of 1, 2 or 5 × 10ⁿ giving about five ticks over `etendue`.
fn pas(etendue: f64) -> f64 {
    let brut = (etendue / 5.0).max(1e-9);
    let mag = 10f64.powf(brut.log10().floor());
    let n = brut / mag;
    mag * [1.0, 2.0, 5.0].into_iter().find(|s| n <= *s).unwrap_or(10.0)
}

/// One line of a chart: a value per day (None = gap), drawn with a dash pattern.
struct Serie {
    nom: &'static str,
    valeurs: Vec<Option<f64>>,
    tirets: &'static str,
    couleur: &'static str,
}

/// A daily line chart; the same data is given as a table after it.
struct Graphique {
    titre: String,
    resume: String,
    jours: Vec<NaiveDate>,
    y_min: f64,
    y_max: f64,
    /// A dashed horizontal line and its label.
    seuil: Option<(f64, String)>,
    /// Figures in the description and the table.
    format: fn(f64) -> String,
    /// Unit of the axis labels.
    unite: &'static str,
    series: Vec<Serie>,
}

const W: f64 = 760.0;
const H: f64 = 270.0;
/// Margins: left, right, top (legend), bottom (day labels).
const ML: f64 = 64.0;
const MR: f64 = 18.0;
const MT: f64 = 36.0;
const MB: f64 = 36.0;

/// `let _ = write!(…)`: writing to a `String` cannot fail.
macro_rules! w {
    ($($t:tt)*) => { let _ = write!($($t)*); };
}

/// `<table>`, its caption and its column headers (separated by `|`).
fn tableau(caption: &str, colonnes: &str) -> String {
    let mut o = format!("<table><caption>{caption}</caption><thead><tr>");
    for c in colonnes.split('|') {
        w!(o, r#"<th scope="col">{c}</th>"#);
    }
    o + "</tr></thead>"
}

/// The chart as `<figure>`: inline SVG (`role="img"`, `<title>`, `<desc>`) and, in a
/// disclosure, a table of its figures.
fn figure(g: &Graphique, id: &str) -> String {
    let (pw, ph) = (W - ML - MR, H - MT - MB);
    let (xr, yb, n) = (W - MR, MT + ph, g.jours.len().max(1));
    let x = |i: usize| ML + if n > 1 { i as f64 * pw / (n - 1) as f64 } else { pw / 2.0 };
    let etendue = (g.y_max - g.y_min).max(1e-9);
    let y = |v: f64| MT + ph * (1.0 - (v.clamp(g.y_min, g.y_max) - g.y_min) / etendue);
    // the description: what the chart shows, each series' range, the gaps
    let mut desc = g.resume.clone();
    for s in &g.series {
        let vals: Vec<(usize, f64)> = s.valeurs.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
        let min = vals.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some((imin, vmin)), Some((imax, vmax))) = (min, vals.iter().max_by(|a, b| a.1.total_cmp(&b.1))) {
            let (dmin, dmax) = (g.jours[*imin].format("%d/%m"), g.jours[*imax].format("%d/%m"));
            w!(desc, " {} : minimum {} le {dmin}, maximum {} le {dmax}.", s.nom, (g.format)(*vmin), (g.format)(*vmax));
        }
        w!(desc, " {} : {} jour(s) sans donnée.", s.nom, n - vals.len());
    }
    if let Some((_, l)) = &g.seuil {
        w!(desc, " Ligne horizontale en tirets gris : {l}.");
    }
    desc.push_str(" Les valeurs de chaque jour sont dans le tableau qui suit le graphique.");
    let (titre, desc) = (esc(&g.titre), esc(&desc));
    let mut o = format!(
        r#"<figure><svg class="graphique" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" font-family="system-ui,sans-serif" font-size="11"><title id="{id}-t">{titre}</title><desc id="{id}-d">{desc}</desc>"#
    );
    // grid and y labels
    let p = pas(etendue);
    let mut v = (g.y_min / p).ceil() * p;
    while v <= g.y_max + p * 1e-6 {
        let (yy, l) = (y(v), decimal(v, if (v - v.round()).abs() < 1e-9 { 0 } else { 1 }));
        let ty = yy + 4.0;
        w!(o, r##"<line x1="{ML}" x2="{xr}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/>"##);
        w!(o, r#"<text x="{}" y="{ty:.1}" text-anchor="end">{l}{FINE}{}</text>"#, ML - 6.0, g.unite);
        v += p;
    }
    // axes, days labelled: the first, every fifth and the last
    w!(o, r##"<path d="M{ML},{MT} V{yb} H{xr}" fill="none" stroke="#333"/>"##);
    for (i, j) in g.jours.iter().enumerate() {
        if j.day() == 1 || j.day().is_multiple_of(5) || i + 1 == g.jours.len() {
            w!(o, r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#, x(i), yb + 16.0, j.day());
        }
    }
    w!(o, r#"<text x="{}" y="{}" text-anchor="middle">jour du mois</text>"#, ML + pw / 2.0, H - 4.0);
    if let Some((s, l)) = &g.seuil {
        let (ys, l) = (y(*s), esc(l));
        w!(
            o,
            r##"<line x1="{ML}" x2="{xr}" y1="{ys:.1}" y2="{ys:.1}" stroke="#666" stroke-width="1.5" stroke-dasharray="8 5"/>"##
        );
        w!(o, r##"<text x="{xr}" y="{:.1}" text-anchor="end" fill="#333">{l}</text>"##, ys - 4.0);
    }
    // the series: one run of days with data per `M`, isolated days as dots; the legend
    for (k, s) in g.series.iter().enumerate() {
        let (mut d, c, t) = (String::new(), s.couleur, s.tirets);
        for (i, v) in s.valeurs.iter().enumerate() {
            let Some(v) = v else { continue };
            let debut = i == 0 || s.valeurs[i - 1].is_none();
            if debut && s.valeurs.get(i + 1).is_none_or(|v| v.is_none()) {
                w!(o, r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{c}"/>"#, x(i), y(*v));
            }
            w!(d, "{}{:.1},{:.1} ", if debut { "M" } else { "L" }, x(i), y(*v));
        }
        if !d.is_empty() {
            w!(o, r#"<path d="{}" fill="none" stroke="{c}" stroke-width="2" stroke-dasharray="{t}"/>"#, d.trim_end());
        }
        let lx = ML + 8.0 + k as f64 * 130.0;
        w!(
            o,
            r#"<line x1="{lx}" x2="{}" y1="14" y2="14" stroke="{c}" stroke-width="2" stroke-dasharray="{t}"/>"#,
            lx + 28.0
        );
        w!(o, r#"<text x="{}" y="18">{}</text>"#, lx + 34.0, s.nom);
    }
    let colonnes = g.series.iter().fold("Jour".to_string(), |c, s| c + "|" + s.nom);
    w!(o, "</svg><figcaption>{titre}</figcaption></figure><details><summary>Valeurs du graphique (tableau)</summary>");
    o.push_str(&tableau(&titre, &colonnes));
    o.push_str("<tbody>");
    for (i, j) in g.jours.iter().enumerate() {
        w!(o, r#"<tr><th scope="row">{}</th>"#, j.format("%d/%m/%Y"));
        for s in &g.series {
            w!(o, r#"<td class="n">{}</td>"#, s.valeurs[i].map(g.format).unwrap_or_else(|| "—".into()));
        }
        o.push_str("</tr>");
    }
    o + "</tbody></table></details>"
}

/// A figure against its target, with ✓/✗ (and "—" without a value).
fn cellule_cible(valeur: Option<f64>, atteint: Option<bool>, cible: f64) -> String {
    let Some(v) = valeur else { return r#"<td class="n">—</td>"#.into() };
    let ok = atteint.unwrap_or(v >= cible);
    let (classe, dit, signe) = if ok { ("", "cible atteinte", "✓") } else { (" ko", "cible non atteinte", "✗") };
    format!(
        r#"<td class="n{classe}">{} <span role="img" aria-label="{dit}">{signe}</span><br><span class="cible">cible {}</span></td>"#,
        pourcent(v),
        pourcent(cible)
    )
}

fn ligne_indicateurs(o: &mut String, i: &Indicateurs, classe: &str) {
    let ms = |x: Option<f64>| x.map(millis).unwrap_or_else(|| "—".into());
    w!(o, r#"<tr{classe}><th scope="row">{}</th>"#, esc(&i.libelle));
    for n in [i.appels, i.erreurs_4xx, i.erreurs_5xx] {
        w!(o, r#"<td class="n">{}</td>"#, entier(n));
    }
    o.push_str(&cellule_cible(i.part_sous_1s_pct, i.sous_1s_atteint, i.cible_sous_1s_pct));
    for p in [i.p50_ms, i.p90_ms, i.p99_ms] {
        w!(o, r#"<td class="n">{}</td>"#, ms(p));
    }
    o.push_str(&cellule_cible(i.disponibilite_pct, i.disponibilite_atteinte, i.cible_disponibilite_pct));
    for n in [i.minutes_indisponibles, i.minutes_service_arrete, i.minutes_exclues, i.minutes_sans_sonde] {
        w!(o, r#"<td class="n">{}</td>"#, entier(n));
    }
    o.push_str("</tr>");
}

/// Daily availability: y from the lowest value (or the target), at most 90 %, to 100 %.
fn graphique_dispo(i: &Indicateurs, jours: Vec<NaiveDate>, valeurs: Vec<Option<f64>>, mois: &str) -> Graphique {
    let bas = valeurs.iter().flatten().copied().fold(i.cible_disponibilite_pct, f64::min).floor().min(90.0);
    Graphique {
        titre: format!("Disponibilité quotidienne — {}, {mois}", i.libelle),
        resume: format!("Disponibilité de chaque jour, en pourcentage (axe de {} à 100 %).", pourcent(bas)),
        jours,
        y_min: bas,
        y_max: 100.0,
        seuil: Some((i.cible_disponibilite_pct, format!("cible {}", pourcent(i.cible_disponibilite_pct)))),
        format: pourcent,
        unite: "%",
        series: vec![Serie { nom: "Disponibilité", valeurs, tirets: "none", couleur: "#1f4e99" }],
    }
}

/// Daily p50/p90/p99, y from 0 to the maximum; None without any call.
fn graphique_temps(
    i: &Indicateurs,
    jours: Vec<NaiveDate>,
    series: [Vec<Option<f64>>; 3],
    mois: &str,
) -> Option<Graphique> {
    let [p50, p90, p99] = series;
    let series = vec![
        Serie { nom: "p50", valeurs: p50, tirets: "none", couleur: "#1f4e99" },
        Serie { nom: "p90", valeurs: p90, tirets: "10 3 2 3", couleur: "#a04a00" },
        Serie { nom: "p99", valeurs: p99, tirets: "2 3", couleur: "#8b1a1a" },
    ];
    let max = series.iter().flat_map(|s| s.valeurs.iter().flatten()).copied().reduce(f64::max)?;
    let p = pas(max.max(1.0));
    let y_max = ((max / p).ceil() * p).max(p);
    Some(Graphique {
        titre: format!("Temps de réponse quotidiens — {}, {mois}", i.libelle),
        resume: format!(
            "Temps de réponse de chaque jour en millisecondes : médiane (p50, trait plein), 90e centile (p90, trait mixte), 99e centile (p99, pointillés){}.",
            if y_max < 1000.0 { " ; le seuil de 1 000 ms est au-dessus de l'échelle" } else { "" }
        ),
        jours,
        y_min: 0.0,
        y_max,
        seuil: (y_max >= 1000.0).then(|| (1000.0, format!("seuil 1{FINE}000{FINE}ms"))),
        format: millis,
        unite: "ms",
        series,
    })
}

/// Neither calls nor probe results for this API over the month.
fn sans_donnees(i: &Indicateurs) -> bool {
    i.appels == 0 && i.minutes_sans_sonde + i.minutes_service_arrete >= i.minutes_periode
}

/// The page.
pub fn rendre(rapport: &RapportSla, incidents: &[LigneIncident], maintenant: DateTime<Utc>) -> String {
    let mois = mois_fr(&rapport.mois);
    let fin_mois = bornes(&rapport.mois).map(|(_, f)| f).unwrap_or(rapport.fin).max(rapport.fin);
    let mut titre = format!("Niveaux de service — {mois}");
    if let Some(c) = &rapport.convention {
        w!(titre, " — convention {}", esc(c));
    }
    let (debut, fin, genere) = (heure(rapport.debut), heure(fin_mois), heure(maintenant));
    let jusqu_au =
        if rapport.fin < fin_mois { format!(", mesuré jusqu'au {}", heure(rapport.fin)) } else { "".into() };
    let depuis = match rapport.mesure_depuis {
        Some(d) if d > rapport.debut => format!(" Disponibilité mesurée depuis la mise en service, le {}.", heure(d)),
        Some(_) => String::new(),
        None => " Service jamais démarré sur cette période : disponibilité non mesurée.".into(),
    };
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{titre}</title><style>{CSS}</style></head><body><header><h1>{titre}</h1><p>Période : du {debut} au {fin}{jusqu_au} (heure de Paris). Généré le {genere}.{depuis}</p><p>Une minute est indisponible quand aucune instance du service ne fonctionnait (« service arrêté ») ou qu'une sonde a échoué ; les minutes des fenêtres annoncées sont exclues.</p></header><main>"
    );
    // 1. indicators
    o.push_str("<section><h2>Indicateurs du mois</h2>");
    o.push_str(&tableau(
        &format!("Indicateurs par API, {mois} (✓ cible atteinte, ✗ non atteinte, — sans appel)"),
        "API|Appels|Erreurs 4xx|Erreurs 5xx|Réponses en moins d'1 s|p50|p90|p99|Disponibilité|Minutes indisponibles|dont service arrêté|Minutes exclues|Minutes sans sonde",
    ));
    o.push_str("<tbody>");
    for i in &rapport.apis {
        ligne_indicateurs(&mut o, i, "");
    }
    ligne_indicateurs(&mut o, &rapport.ensemble, r#" class="total""#);
    o.push_str("</tbody></table></section>");
    // 2. and 3. the charts: the days of the month (x axis), each API's series
    let jours: Vec<NaiveDate> =
        rapport.debut.date_naive().iter_days().take_while(|j| *j < fin_mois.date_naive()).take(31).collect();
    let serie = |api: &str, f: fn(&Jour) -> Option<f64>| -> Vec<Option<f64>> {
        jours.iter().map(|d| rapport.jours.iter().find(|x| x.jour == *d && x.api == api).and_then(f)).collect()
    };
    for (section, prefixe) in
        [("Disponibilité quotidienne par API", "dispo"), ("Temps de réponse quotidiens (p50, p90, p99)", "temps")]
    {
        w!(o, "<section><h2>{section}</h2>");
        for (k, i) in rapport.apis.iter().enumerate() {
            w!(o, "<h3>{}</h3>", esc(&i.libelle));
            let g = if sans_donnees(i) {
                None
            } else if prefixe == "dispo" {
                Some(graphique_dispo(i, jours.clone(), serie(&i.api, |x| x.disponibilite_pct), &mois))
            } else {
                let s = [serie(&i.api, |x| x.p50_ms), serie(&i.api, |x| x.p90_ms), serie(&i.api, |x| x.p99_ms)];
                graphique_temps(i, jours.clone(), s, &mois)
            };
            match g {
                Some(g) => o.push_str(&figure(&g, &format!("{prefixe}-{k}"))),
                None if sans_donnees(i) => {
                    o.push_str("<p>Ni appel ni résultat de sonde sur la période : pas de graphique.</p>")
                }
                None => o.push_str("<p>Aucun appel à cette API sur la période : pas de temps de réponse.</p>"),
            }
        }
        o.push_str("</section>");
    }
    // 4. excluded windows
    o.push_str("<section><h2>Fenêtres exclues</h2>");
    if rapport.fenetres.is_empty() {
        o.push_str("<p>Aucune fenêtre exclue sur la période.</p>");
    } else {
        o.push_str(&tableau(
            "Fenêtres exclues du calcul de la disponibilité (heure de Paris)",
            "Nature|Début|Fin|API|Convention|Motif",
        ));
        o.push_str("<tbody>");
        for f in &rapport.fenetres {
            let nature = match f.nature.as_str() {
                "maintenance" => "Maintenance annoncée",
                "partenaire" => "Indisponibilité du partenaire",
                n => n,
            };
            let api = f.api.as_deref().map(libelle_api).unwrap_or_else(|| "toutes".into());
            let (nature, api, convention) = (esc(nature), esc(&api), esc(f.convention.as_deref().unwrap_or("—")));
            w!(o, r#"<tr><th scope="row">{nature}</th><td>{}</td><td>{}</td>"#, heure(f.debut), heure(f.fin));
            w!(o, "<td>{api}</td><td>{convention}</td><td>{}</td></tr>", esc(&f.motif));
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>");
    // 5. incidents, one row per deadline
    o.push_str("<section><h2>Incidents</h2>");
    if incidents.is_empty() {
        o.push_str("<p>Aucun incident sur la période.</p>");
    } else {
        let depassees = incidents.iter().flat_map(|i| &i.echeances).filter(|e| e.3).count() as u64;
        w!(o, "<p>{} incident(s), {} échéance(s) dépassée(s).</p>", entier(incidents.len() as u64), entier(depassees));
        o.push_str(&tableau(
            "Incidents et échéances (heure de Paris ; ✗ dépassée, ✓ dans les délais)",
            "Incident|Type|Origine|API|Convention|État|Détecté le|Étape|Échéance|Réalisé le|Délai",
        ));
        for i in incidents {
            let n = i.echeances.len().max(1);
            w!(o, r#"<tbody><tr><th scope="rowgroup" rowspan="{n}">{}</th>"#, esc(&i.id));
            let (api, convention) = (i.api.as_deref().unwrap_or("—"), i.convention.as_deref().unwrap_or("—"));
            for c in [&i.type_incident, &i.origine, api, convention, &i.etat, &heure(i.detecte_le)] {
                w!(o, r#"<td rowspan="{n}">{}</td>"#, esc(c));
            }
            if i.echeances.is_empty() {
                o.push_str("<td>—</td><td>—</td><td>—</td><td>—</td></tr>");
            }
            for (k, (etape, echeance, fait, depassee)) in i.echeances.iter().enumerate() {
                let td = if *depassee { r#"<td class="ko">"# } else { "<td>" };
                let fait = fait.map(heure).unwrap_or_else(|| "non réalisé".into());
                let verdict = if *depassee { "✗ dépassée" } else { "✓ dans les délais" };
                w!(o, "{}{td}{}</td>{td}{}</td>", if k > 0 { "<tr>" } else { "" }, esc(etape), heure(*echeance));
                w!(o, "{td}{fait}</td>{td}{verdict}</td></tr>");
            }
            o.push_str("</tbody>");
        }
        o.push_str("</table>");
    }
    o.push_str("</section></main></body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::store::sla::Fenetre;

    fn t(j: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, j, h, m, 0).unwrap()
    }

    fn indicateurs(api: &str, appels: u64, sans_sonde: u64, dispo: Option<f64>) -> Indicateurs {
        Indicateurs {
            api: api.into(),
            libelle: libelle_api(api),
            appels,
            erreurs_4xx: appels / 50,
            erreurs_5xx: appels / 500,
            part_sous_1s_pct: (appels > 0).then_some(95.5),
            cible_sous_1s_pct: 90.0,
            sous_1s_atteint: (appels > 0).then_some(true),
            p50_ms: (appels > 0).then_some(120.0),
            p90_ms: (appels > 0).then_some(480.0),
            p99_ms: (appels > 0).then_some(1502.4),
            minutes_periode: 30_362,
            minutes_exclues: 120,
            minutes_indisponibles: 82,
            minutes_service_arrete: 12,
            minutes_sans_sonde: sans_sonde,
            disponibilite_pct: dispo,
            cible_disponibilite_pct: 98.0,
            disponibilite_atteinte: dispo.map(|d| d >= 98.0),
        }
    }

    fn rapport() -> RapportSla {
        let mut jours = Vec::new();
        for d in 1..=22 {
            let jour = NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
            for (api, appels) in [("recherche-usager", 1_200), ("statut-usager", 200), ("metiers-projets", 0)] {
                // the search API: no calls on the 5th, probes missing on the 6th, a bad 12th
                let appels = if api == "recherche-usager" && d == 5 { 0 } else { appels };
                let p = |v: f64| (appels > 0).then_some(v + d as f64);
                jours.push(Jour {
                    jour,
                    api: api.into(),
                    appels,
                    disponibilite_pct: match (api, d) {
                        ("recherche-usager", 6) => None,
                        ("recherche-usager", 12) => Some(87.5),
                        _ => Some(99.9),
                    },
                    p50_ms: p(100.0),
                    p90_ms: p(400.0),
                    p99_ms: p(1400.0),
                });
            }
        }
        RapportSla {
            mois: "2026-11".into(),
            convention: Some("CD93-2026".into()),
            debut: t(1, 0, 0),
            mesure_depuis: Some(t(1, 0, 0)),
            fin: t(22, 9, 2),
            apis: vec![
                indicateurs("recherche-usager", 25_842, 0, Some(99.7345)),
                indicateurs("statut-usager", 5_000, 10, Some(97.1)),
                indicateurs("metiers-projets", 0, 30_362, Some(100.0)),
            ],
            ensemble: Indicateurs { libelle: "Toutes les API".into(), ..indicateurs("toutes", 30_842, 0, Some(99.5)) },
            fenetres: vec![Fenetre {
                id: "f1".into(),
                nature: "maintenance".into(),
                debut: t(10, 13, 0),
                fin: t(10, 15, 0),
                api: None,
                convention: None,
                motif: "<script>alert('x')</script> & co".into(),
                annonce_le: t(3, 9, 0),
            }],
            jours,
        }
    }

    fn incidents() -> Vec<LigneIncident> {
        let d = t(22, 9, 0);
        vec![
            LigneIncident {
                id: "INC-1".into(),
                type_incident: "Disponibilité de service".into(),
                origine: "Détecté par une sonde de surveillance".into(),
                api: Some("API Recherche usager".into()),
                convention: None,
                etat: "Rétablissement du service".into(),
                detecte_le: d,
                echeances: vec![
                    ("Information du partenaire".into(), d + Duration::hours(1), Some(d + Duration::hours(3)), true),
                    ("Rétablissement du service".into(), d + Duration::hours(8), Some(d + Duration::hours(4)), false),
                ],
            },
            LigneIncident {
                id: "INC-2".into(),
                type_incident: "Applicatif".into(),
                origine: "Signalé par le partenaire".into(),
                api: None,
                convention: Some("CD93-2026".into()),
                etat: "Détection".into(),
                detecte_le: t(15, 8, 0),
                echeances: vec![("Information du partenaire".into(), t(16, 8, 0), None, false)],
            },
        ]
    }

    fn page() -> String {
        rendre(&rapport(), &incidents(), t(22, 9, 5))
    }

    #[test]
    fn the_page_is_well_formed_and_accessible() {
        let p = page();
        assert!(p.starts_with("<!DOCTYPE html>"));
        assert!(p.contains(r#"<html lang="fr">"#) && p.contains(r#"<meta charset="utf-8">"#));
        assert!(p.trim_end().ends_with("</html>"));
        assert_eq!(p.matches("<table").count(), p.matches("</table>").count());
        assert_eq!(p.matches("<table").count(), p.matches("<caption>").count());
        let svgs: Vec<&str> = p.split("<svg").skip(1).collect();
        assert_eq!(svgs.len(), 4, "two APIs with data × two charts");
        for s in &svgs {
            let s = &s[..s.find("</svg>").unwrap()];
            assert!(s.contains("<title") && s.contains("<desc") && s.contains(r#"role="img""#));
        }
        // no script, no external resource
        for interdit in ["<script", "http", "<img", "<link", "url("] {
            assert!(!p.contains(interdit), "{interdit}");
        }
        // sections in order
        let pos = |s: &str| p.find(s).unwrap_or_else(|| panic!("{s}"));
        assert!(pos("<h1>") < pos("Indicateurs du mois"));
        assert!(pos("Indicateurs du mois") < pos("Disponibilité quotidienne par API"));
        assert!(pos("Disponibilité quotidienne par API") < pos("Temps de réponse quotidiens"));
        assert!(pos("Temps de réponse quotidiens") < pos("<h2>Fenêtres exclues"));
        assert!(pos("<h2>Fenêtres exclues") < pos("<h2>Incidents"));
        // the API without data has text instead of charts, twice
        assert_eq!(p.matches("Ni appel ni résultat de sonde").count(), 2);
    }

    #[test]
    fn title_period_and_paris_time() {
        let p = page();
        assert!(p.contains("<h1>Niveaux de service — novembre 2026 — convention CD93-2026</h1>"), "{p}");
        // 1 Nov 00:00 UTC = 01:00 in Paris (winter time); end of month and measured-until
        assert!(p.contains("du 01/11/2026 01:00 au 01/12/2026 01:00, mesuré jusqu'au 22/11/2026 10:02"));
        assert!(p.contains("Généré le 22/11/2026 10:05"));
        // detected at 09:00 UTC, shown 10:00
        assert!(p.contains("22/11/2026 10:00"));
        let mut r = rapport();
        r.convention = None;
        r.fin = t(30, 0, 0) + Duration::days(1);
        let p = rendre(&r, &[], t(30, 0, 0));
        assert!(p.contains("<h1>Niveaux de service — novembre 2026</h1>"));
        assert!(!p.contains("mesuré jusqu"));
        assert!(p.contains("Aucun incident sur la période."));
    }

    #[test]
    fn french_number_formatting() {
        assert_eq!(entier(30_842), "30\u{202f}842");
        assert_eq!(entier(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(entier(999), "999");
        assert_eq!(pourcent(99.7345), "99,73\u{202f}%");
        assert_eq!(decimal(-0.001, 2), "0,00");
        assert_eq!(millis(1502.4), "1\u{202f}502\u{202f}ms");
        assert_eq!(millis(3.25), "3,2\u{202f}ms");
        let p = page();
        assert!(p.contains("99,73\u{202f}%"));
        assert!(p.contains("30\u{202f}842"));
        assert!(p.contains("cible atteinte") && p.contains("cible non atteinte"), "97,10 % < 98 %");
        // no calls: the share under one second is "—"
        let ligne = p.split("<tr").find(|l| l.contains("API Métiers")).unwrap();
        assert!(ligne.contains(">—<"));
    }

    #[test]
    fn data_is_escaped() {
        let mut r = rapport();
        r.convention = Some("\"><script>".into());
        let mut inc = incidents();
        inc[0].id = "<script>alert(1)</script>".into();
        let p = rendre(&r, &inc, t(22, 9, 5));
        assert!(!p.contains("<script"));
        assert!(p.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(p.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
        assert!(p.contains("&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn deadlines_and_windows() {
        let p = page();
        assert!(p.contains(r#"<td class="ko">✗ dépassée</td>"#));
        assert_eq!(p.matches("✓ dans les délais</td>").count(), 2);
        assert!(p.contains("non réalisé"));
        assert!(p.contains("2 incident(s), 1 échéance(s) dépassée(s)."));
        assert!(p.contains("<th scope=\"row\">Maintenance annoncée</th><td>10/11/2026 14:00</td><td>10/11/2026 16:00</td><td>toutes</td>"));
    }

    /// The SVG of a chart and the paths of its series (not the axes).
    fn svg<'a>(p: &'a str, id: &str) -> (&'a str, Vec<&'a str>) {
        let s = &p[p.find(&format!("{id}-t")).unwrap()..];
        let s = &s[..s.find("</svg>").unwrap()];
        (s, s.split("<path d=\"").skip(1).map(|c| &c[..c.find('"').unwrap()]).filter(|c| !c.contains('V')).collect())
    }

    #[test]
    fn charts_gaps_axes_and_thresholds() {
        let p = page();
        let (dispo, chemins) = svg(&p, "dispo-0");
        // gaps: no value on the 6th nor on days 23–30: runs 1–5 and 7–22, two path starts
        assert_eq!(chemins.len(), 1);
        assert_eq!(chemins[0].matches('M').count(), 2, "{chemins:?}");
        // 87,5 % → the axis starts at 87 %; the dashed target line is labelled
        assert!(dispo.contains("axe de 87,00\u{202f}%") && dispo.contains(">90\u{202f}%</text>"), "{dispo}");
        assert!(dispo.contains("stroke-dasharray=\"8 5\"") && dispo.contains("cible 98,00\u{202f}%"));
        // response times: three dash patterns, a 1 000 ms line, the 5th a gap
        let (temps, chemins) = svg(&p, "temps-0");
        for motif in ["\"none\"", "\"10 3 2 3\"", "\"2 3\"", "seuil 1\u{202f}000\u{202f}ms"] {
            assert!(temps.contains(motif), "{motif}");
        }
        assert_eq!(chemins.len(), 3);
        assert!(chemins.iter().all(|c| c.matches('M').count() == 2), "a gap on the 5th in each series");
        // the figures are in a table too: 30 days, the 6th without availability
        assert!(p.contains("<th scope=\"row\">06/11/2026</th><td class=\"n\">—</td>"));
        assert!(p.contains("<th scope=\"row\">30/11/2026</th>"));
    }
}
