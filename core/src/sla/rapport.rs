//! The month's indicators (seed 002 annex 2 §3): per API — and per convention when asked —
//! calls, errors, share of answers under one second and p50/p90/p99 from the merged
//! latency histograms, availability from the probes; each against its target (the
//! convention's, or 98 % and 90 %). Also the daily series the HTML report draws.
//!
//! Availability: over the minutes of the month elapsed so far since the service started
//! (its first heartbeat ever), a minute is unavailable when no instance ran during it
//! (no heartbeat: `minutesServiceArrete`) or when a probe of that API (or of the
//! database) failed during it; minutes inside an announced maintenance window (for that
//! API or all) and, for a convention, inside a partner-side unavailability window of that
//! convention, are excluded from both sides. Minutes in which the service ran without any
//! probe result count as available and are reported (`minutesSansSonde`).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use super::agregat::Agregat;
use super::api::Api;
use crate::store::sla::{Fenetre, LigneMinute, ResultatSonde};
use crate::store::{Store, StoreError};
use dude_modele::dossier::codes::Coded;
use dude_modele::habilitation::convention::{CiblesSla, Convention};

#[derive(Debug, thiserror::Error)]
pub enum RapportError {
    #[error("mois invalide : AAAA-MM attendu")]
    Mois(String),
    #[error("convention {0} inconnue")]
    Convention(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The indicators of one API over the month.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Indicateurs {
    /// API code, or `toutes`.
    pub api: String,
    pub libelle: String,
    pub appels: u64,
    pub erreurs_4xx: u64,
    pub erreurs_5xx: u64,
    pub part_sous_1s_pct: Option<f64>,
    pub cible_sous_1s_pct: f64,
    pub sous_1s_atteint: Option<bool>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub minutes_periode: u64,
    pub minutes_exclues: u64,
    /// Unavailable minutes, those of `minutesServiceArrete` included.
    pub minutes_indisponibles: u64,
    /// Minutes in which no instance of the service ran (no heartbeat), outside windows.
    pub minutes_service_arrete: u64,
    /// Minutes in which the service ran but no probe result was recorded.
    pub minutes_sans_sonde: u64,
    pub disponibilite_pct: Option<f64>,
    pub cible_disponibilite_pct: f64,
    pub disponibilite_atteinte: Option<bool>,
}

/// One day of one API, for the charts.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Jour {
    pub jour: NaiveDate,
    pub api: String,
    pub appels: u64,
    pub disponibilite_pct: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RapportSla {
    /// AAAA-MM.
    pub mois: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub convention: Option<String>,
    pub debut: DateTime<Utc>,
    /// Start of the availability measured: the month's start, or the service's first
    /// heartbeat when it started during the month (absent: never started).
    pub mesure_depuis: Option<DateTime<Utc>>,
    /// End of the period measured (the end of the month, or now for the current month).
    pub fin: DateTime<Utc>,
    pub apis: Vec<Indicateurs>,
    pub ensemble: Indicateurs,
    pub fenetres: Vec<Fenetre>,
    pub jours: Vec<Jour>,
}

/// `AAAA-MM` → the month's bounds, UTC (a month of the SLA is a calendar month in UTC).
pub fn bornes(mois: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), RapportError> {
    let err = || RapportError::Mois(mois.chars().take(16).collect());
    let (a, m) = mois.split_once('-').ok_or_else(err)?;
    let (a, m): (i32, u32) = (a.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
    if mois.len() != 7 {
        return Err(err());
    }
    let debut = Utc.with_ymd_and_hms(a, m, 1, 0, 0, 0).single().ok_or_else(err)?;
    let (a2, m2) = if m == 12 { (a + 1, 1) } else { (a, m + 1) };
    let fin = Utc.with_ymd_and_hms(a2, m2, 1, 0, 0, 0).single().ok_or_else(err)?;
    Ok((debut, fin))
}

fn ms(a: &Agregat, q: f64) -> Option<f64> {
    (a.nombre > 0).then(|| a.latences.value_at_quantile(q) as f64 / 1000.0)
}

fn pct(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| (n as f64) * 100.0 / d as f64)
}

/// Minutes (Unix seconds of their start) of `[debut, fin)` covered by the windows.
fn minutes_couvertes<'a>(
    fenetres: impl Iterator<Item = &'a Fenetre>,
    debut: DateTime<Utc>,
    fin: DateTime<Utc>,
) -> HashSet<i64> {
    let mut s = HashSet::new();
    for f in fenetres {
        let a = super::agregat::minute_de(f.debut.max(debut));
        let b = f.fin.min(fin).timestamp();
        let mut m = a;
        while m < b {
            s.insert(m);
            m += 60;
        }
    }
    s
}

/// When the service ran: the first minute any instance ever ran, and the minutes of
/// the period with a heartbeat (Unix seconds of their start).
#[derive(Debug, Clone, Default)]
pub struct Marche {
    pub mise_en_service: Option<DateTime<Utc>>,
    pub minutes: HashSet<i64>,
}

/// Computes a month's report from what is stored.
pub async fn calculer(
    store: &Store,
    mois: &str,
    convention: Option<&Convention>,
    maintenant: DateTime<Utc>,
) -> Result<RapportSla, RapportError> {
    let (debut, fin_mois) = bornes(mois)?;
    // the current month is measured up to the current minute
    let fin = if maintenant >= fin_mois {
        fin_mois
    } else {
        DateTime::from_timestamp(super::agregat::minute_de(maintenant), 0).unwrap_or(debut).max(debut)
    };
    let lignes = store.sla_minutes(debut, fin_mois, convention.map(|c| c.id.as_str())).await?;
    let sondes = store.sla_sondes(debut, fin).await?;
    let fenetres: Vec<Fenetre> = store
        .sla_fenetres(debut, fin)
        .await?
        .into_iter()
        .filter(|f| match f.nature.as_str() {
            "partenaire" => convention.is_some_and(|c| f.convention.as_deref() == Some(c.id.as_str())),
            _ => true,
        })
        .collect();
    let cibles = convention.map(|c| c.sla.clone()).unwrap_or_default();
    let marche = Marche {
        mise_en_service: store.sla_premier_battement().await?,
        minutes: store.sla_battements(debut, fin).await?,
    };
    Ok(assembler(mois, convention.map(|c| c.id.clone()), debut, fin, &lignes, &sondes, fenetres, &marche, &cibles))
}

/// The computation itself, on loaded data (tested with hand-made figures).
#[allow(clippy::too_many_arguments)]
pub fn assembler(
    mois: &str,
    convention: Option<String>,
    debut: DateTime<Utc>,
    fin: DateTime<Utc>,
    lignes: &[LigneMinute],
    sondes: &[ResultatSonde],
    fenetres: Vec<Fenetre>,
    marche: &Marche,
    cibles: &CiblesSla,
) -> RapportSla {
    // availability is measured from the service's start, when it came during the month
    let mesure_depuis = marche
        .mise_en_service
        .map(|t| DateTime::from_timestamp(super::agregat::minute_de(t), 0).unwrap_or(t).clamp(debut, fin.max(debut)));
    let debut_mesure = mesure_depuis.unwrap_or(fin).timestamp();
    let minutes_periode = ((fin.timestamp() - debut_mesure).max(0) / 60) as u64;
    let dans_periode = |m: i64| m >= debut_mesure && m < fin.timestamp();
    // minutes of the period in which no instance ran
    let arretees: HashSet<i64> =
        (0..minutes_periode as i64).map(|i| debut_mesure + 60 * i).filter(|m| !marche.minutes.contains(m)).collect();
    // failed and probed minutes per target
    let mut echecs: HashMap<&str, HashSet<i64>> = HashMap::new();
    let mut sondees: HashMap<&str, HashSet<i64>> = HashMap::new();
    for s in sondes {
        let m = super::agregat::minute_de(s.minute);
        if !dans_periode(m) {
            continue;
        }
        sondees.entry(s.cible.as_str()).or_default().insert(m);
        if !s.ok {
            echecs.entry(s.cible.as_str()).or_default().insert(m);
        }
    }
    let vide = HashSet::new();
    let base_ko = echecs.get("base").unwrap_or(&vide);
    // (unavailable, stopped, without probe) minutes of an API (all: `None`)
    let indispo_de = |api: Option<Api>, exclues: &HashSet<i64>| -> (u64, u64, u64) {
        let code = api.map(|a| a.code());
        let mut ko: HashSet<i64> = base_ko.clone();
        let mut vues: HashSet<i64> = sondees.get("base").cloned().unwrap_or_default();
        for (cible, minutes) in &echecs {
            if Some(*cible) == code || (code.is_none() && Api::from_code(cible).is_ok()) {
                ko.extend(minutes);
            }
        }
        for (cible, minutes) in &sondees {
            if Some(*cible) == code || (code.is_none() && Api::from_code(cible).is_ok()) {
                vues.extend(minutes);
            }
        }
        let arret = arretees.difference(exclues).count() as u64;
        ko.extend(&arretees);
        let ko = ko.difference(exclues).count() as u64;
        let en_marche = minutes_periode.saturating_sub(arretees.len() as u64);
        let sans = en_marche.saturating_sub(vues.difference(&arretees).count() as u64);
        (ko, arret, sans)
    };
    let exclues_de = |api: Option<Api>| {
        minutes_couvertes(
            fenetres.iter().filter(|f| match (&f.api, api) {
                (None, _) => true,
                (Some(a), Some(x)) => a == x.code(),
                (Some(_), None) => false,
            }),
            DateTime::from_timestamp(debut_mesure, 0).unwrap_or(debut),
            fin,
        )
    };
    let indicateurs = |api: Option<Api>, a: &Agregat| {
        let exclues = exclues_de(api);
        let (ko, arret, sans) = indispo_de(api, &exclues);
        let ouvertes = minutes_periode.saturating_sub(exclues.len() as u64);
        let dispo = (ouvertes > 0).then(|| 100.0 * (ouvertes - ko.min(ouvertes)) as f64 / ouvertes as f64);
        let part = pct(a.sous_1s, a.nombre);
        Indicateurs {
            api: api.map(|x| x.code().to_string()).unwrap_or_else(|| "toutes".into()),
            libelle: api.map(|x| x.libelle().to_string()).unwrap_or_else(|| "Toutes les API".into()),
            appels: a.nombre,
            erreurs_4xx: a.c4xx,
            erreurs_5xx: a.c5xx,
            part_sous_1s_pct: part,
            cible_sous_1s_pct: cibles.reponses_sous_1s_pct,
            sous_1s_atteint: part.map(|p| p >= cibles.reponses_sous_1s_pct),
            p50_ms: ms(a, 0.5),
            p90_ms: ms(a, 0.9),
            p99_ms: ms(a, 0.99),
            minutes_periode,
            minutes_exclues: exclues.len() as u64,
            minutes_indisponibles: ko,
            minutes_service_arrete: arret,
            minutes_sans_sonde: sans,
            disponibilite_pct: dispo,
            cible_disponibilite_pct: cibles.disponibilite_pct,
            disponibilite_atteinte: dispo.map(|d| d >= cibles.disponibilite_pct),
        }
    };
    let mut par_api: BTreeMap<Api, Agregat> = <Api as Coded>::ALL.iter().map(|a| (*a, Agregat::default())).collect();
    let mut total = Agregat::default();
    let mut par_jour: BTreeMap<(NaiveDate, Api), Agregat> = BTreeMap::new();
    for l in lignes {
        let Ok(api) = Api::from_code(&l.api) else { continue };
        if let Some(a) = par_api.get_mut(&api) {
            a.fusionner(&l.agregat);
        }
        total.fusionner(&l.agregat);
        par_jour.entry((l.minute.date_naive(), api)).or_default().fusionner(&l.agregat);
    }
    let apis: Vec<Indicateurs> = par_api.iter().map(|(api, a)| indicateurs(Some(*api), a)).collect();
    let ensemble = indicateurs(None, &total);
    // daily series: every day of the period, every API
    let mut jours = Vec::new();
    let mut jour = debut.date_naive();
    while jour < fin.date_naive() || (jour == fin.date_naive() && fin.time() != chrono::NaiveTime::MIN) {
        let minuit = Utc.from_utc_datetime(&jour.and_hms_opt(0, 0, 0).expect("midnight"));
        let j0 = minuit.max(DateTime::from_timestamp(debut_mesure, 0).unwrap_or(debut)).min(minuit + Duration::days(1));
        let j1 = (minuit + Duration::days(1)).min(fin).max(j0);
        let minutes_jour = ((j1 - j0).num_seconds().max(0) / 60) as u64;
        for api in <Api as Coded>::ALL {
            let exclues: HashSet<i64> =
                exclues_de(Some(*api)).into_iter().filter(|m| *m >= j0.timestamp() && *m < j1.timestamp()).collect();
            let code = api.code();
            let ko = base_ko
                .iter()
                .chain(echecs.get(code).unwrap_or(&vide))
                .chain(&arretees)
                .filter(|m| **m >= j0.timestamp() && **m < j1.timestamp() && !exclues.contains(m))
                .collect::<HashSet<_>>()
                .len() as u64;
            let ouvertes = minutes_jour.saturating_sub(exclues.len() as u64);
            let a = par_jour.get(&(jour, *api));
            jours.push(Jour {
                jour,
                api: code.to_string(),
                appels: a.map_or(0, |a| a.nombre),
                disponibilite_pct: (ouvertes > 0)
                    .then(|| 100.0 * (ouvertes - ko.min(ouvertes)) as f64 / ouvertes as f64),
                p50_ms: a.and_then(|a| ms(a, 0.5)),
                p90_ms: a.and_then(|a| ms(a, 0.9)),
                p99_ms: a.and_then(|a| ms(a, 0.99)),
            });
        }
        jour = jour.succ_opt().expect("next day");
        if jour.year() > 9000 {
            break;
        }
    }
    RapportSla { mois: mois.to_string(), convention, debut, mesure_depuis, fin, apis, ensemble, fenetres, jours }
}

/// The report as CSV (`;`), one line per API then the whole.
pub fn en_csv(r: &RapportSla) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    w.write_record([
        "mois",
        "convention",
        "api",
        "appels",
        "erreurs_4xx",
        "erreurs_5xx",
        "part_sous_1s_pct",
        "cible_sous_1s_pct",
        "p50_ms",
        "p90_ms",
        "p99_ms",
        "disponibilite_pct",
        "cible_disponibilite_pct",
        "minutes_indisponibles",
        "minutes_exclues",
        "minutes_service_arrete",
        "minutes_sans_sonde",
    ])?;
    let f = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_default();
    for i in r.apis.iter().chain(std::iter::once(&r.ensemble)) {
        w.write_record([
            r.mois.clone(),
            r.convention.clone().unwrap_or_default(),
            i.api.clone(),
            i.appels.to_string(),
            i.erreurs_4xx.to_string(),
            i.erreurs_5xx.to_string(),
            f(i.part_sous_1s_pct),
            format!("{:.2}", i.cible_sous_1s_pct),
            f(i.p50_ms),
            f(i.p90_ms),
            f(i.p99_ms),
            f(i.disponibilite_pct),
            format!("{:.2}", i.cible_disponibilite_pct),
            i.minutes_indisponibles.to_string(),
            i.minutes_exclues.to_string(),
            i.minutes_service_arrete.to_string(),
            i.minutes_sans_sonde.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(j: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, j, h, m, 0).unwrap()
    }

    fn ligne(minute: DateTime<Utc>, api: Api, latences_ms: &[u64], statuts: &[u16]) -> LigneMinute {
        let mut a = Agregat::default();
        for (l, s) in latences_ms.iter().zip(statuts) {
            a.ajouter(*s, std::time::Duration::from_millis(*l));
        }
        LigneMinute {
            minute,
            api: api.code().into(),
            ressource: "r".into(),
            convention: "c".into(),
            client: "k".into(),
            agregat: a,
        }
    }

    fn sonde(minute: DateTime<Utc>, cible: &str, ok: bool) -> ResultatSonde {
        ResultatSonde { minute, cible: cible.into(), ok, duree_ms: 5, detail: None }
    }

    #[test]
    fn a_month_computed_by_hand() {
        // February 2026: 28 days = 40,320 minutes.
        let (debut, fin) = bornes("2026-02").unwrap();
        assert_eq!((fin - debut).num_minutes(), 40_320);
        // 10 calls on the search API: 8 under 1 s, latencies 100..800 ms and 1.5 s, 2 s
        let lignes = vec![
            ligne(t(3, 10, 0), Api::RechercheUsager, &[100, 200, 300, 400], &[200, 200, 200, 404]),
            ligne(t(3, 10, 1), Api::RechercheUsager, &[500, 600, 700, 800, 1500, 2000], &[200; 6]),
            ligne(t(4, 9, 0), Api::StatutUsager, &[50], &[503]),
        ];
        // the search API fails its probes for 900 minutes on the 10th (15 h), 60 of them in
        // an announced maintenance window; the database fails 30 minutes on the 20th
        let mut sondes = Vec::new();
        for i in 0..900 {
            sondes.push(sonde(t(10, 0, 0) + Duration::minutes(i), "recherche-usager", false));
        }
        for i in 0..30 {
            sondes.push(sonde(t(20, 12, 0) + Duration::minutes(i), "base", false));
        }
        sondes.push(sonde(t(21, 0, 0), "statut-usager", true));
        let fenetres = vec![Fenetre {
            id: "f".into(),
            nature: "maintenance".into(),
            debut: t(10, 14, 0),
            fin: t(10, 16, 0),
            api: None,
            convention: None,
            motif: "mise à jour".into(),
            annonce_le: t(1, 0, 0),
        }];
        // the service ran the whole month (it started before)
        let marche = Marche {
            mise_en_service: Some(t(1, 0, 0) - Duration::days(40)),
            minutes: (0..40_320).map(|i| debut.timestamp() + 60 * i).collect(),
        };
        let r = assembler("2026-02", None, debut, fin, &lignes, &sondes, fenetres, &marche, &CiblesSla::default());
        assert_eq!(r.mesure_depuis, Some(debut));
        let rech = r.apis.iter().find(|i| i.api == "recherche-usager").unwrap();
        assert_eq!(rech.minutes_service_arrete, 0);
        assert_eq!(rech.appels, 10);
        assert_eq!(rech.erreurs_4xx, 1);
        assert_eq!(rech.part_sous_1s_pct, Some(80.0));
        assert_eq!(rech.sous_1s_atteint, Some(false), "80 % < 90 %");
        // p50 of {100..800,1500,2000}: the 5th value, 500 ms (HDR precision 3 digits)
        assert!((rech.p50_ms.unwrap() - 500.0).abs() < 1.0, "{:?}", rech.p50_ms);
        assert!((rech.p90_ms.unwrap() - 1500.0).abs() < 2.0, "{:?}", rech.p90_ms);
        assert!((rech.p99_ms.unwrap() - 2000.0).abs() < 3.0, "{:?}", rech.p99_ms);
        // window 14:00–16:00 = 120 minutes excluded; failures 00:00–15:00 → 900 − 60 in
        // the window = 840, plus the 30 database minutes = 870 unavailable
        assert_eq!(rech.minutes_exclues, 120);
        assert_eq!(rech.minutes_indisponibles, 870);
        let attendu = 100.0 * (40_320.0 - 120.0 - 870.0) / (40_320.0 - 120.0);
        assert!((rech.disponibilite_pct.unwrap() - attendu).abs() < 1e-9, "{rech:?}");
        assert!((attendu - 97.835_820_895_522_39).abs() < 1e-9);
        assert_eq!(rech.disponibilite_atteinte, Some(false), "97.84 % < 98 %");
        // the status API only suffers the database's 30 minutes
        let statut = r.apis.iter().find(|i| i.api == "statut-usager").unwrap();
        assert_eq!(statut.minutes_indisponibles, 30);
        assert_eq!(statut.erreurs_5xx, 1);
        assert_eq!(statut.disponibilite_atteinte, Some(true));
        assert_eq!(r.ensemble.appels, 11);
        // the daily series: 28 days × 6 APIs; the 10th shows the outage
        assert_eq!(r.jours.len(), 28 * <Api as Coded>::ALL.len());
        let j10 = r.jours.iter().find(|j| j.jour == t(10, 0, 0).date_naive() && j.api == "recherche-usager").unwrap();
        let attendu = 100.0 * (1440.0 - 120.0 - 840.0) / (1440.0 - 120.0);
        assert!((j10.disponibilite_pct.unwrap() - attendu).abs() < 1e-9, "{j10:?}");
        let csv = String::from_utf8(en_csv(&r).unwrap()).unwrap();
        assert!(csv.lines().any(|l| l.starts_with("2026-02;;recherche-usager;10;1;0;80.00;90.00;")), "{csv}");
    }

    #[test]
    fn minutes_without_heartbeat_are_unavailable() {
        let (debut, fin) = bornes("2026-02").unwrap();
        // started on the 2nd at 00:00; stopped on the 5th from 10:00 to 12:00 (120
        // minutes), 30 of which in a maintenance window; probes all fine meanwhile
        let arret = (t(5, 10, 0).timestamp(), t(5, 12, 0).timestamp());
        let marche = Marche {
            mise_en_service: Some(t(2, 0, 0)),
            minutes: (0..40_320)
                .map(|i| debut.timestamp() + 60 * i)
                .filter(|m| *m >= t(2, 0, 0).timestamp() && !(arret.0..arret.1).contains(m))
                .collect(),
        };
        let sondes = vec![sonde(t(3, 0, 0), "statut-usager", true)];
        let fenetres = vec![Fenetre {
            id: "m".into(),
            nature: "maintenance".into(),
            debut: t(5, 11, 30),
            fin: t(5, 12, 0),
            api: None,
            convention: None,
            motif: "mise à jour".into(),
            annonce_le: t(1, 0, 0),
        }];
        let r = assembler("2026-02", None, debut, fin, &[], &sondes, fenetres, &marche, &CiblesSla::default());
        assert_eq!(r.mesure_depuis, Some(t(2, 0, 0)), "measured from the service's start");
        let statut = r.apis.iter().find(|i| i.api == "statut-usager").unwrap();
        let periode = 40_320 - 1440;
        assert_eq!(statut.minutes_periode, periode);
        assert_eq!(statut.minutes_service_arrete, 90, "120 stopped, 30 of them announced");
        assert_eq!(statut.minutes_indisponibles, 90);
        assert_eq!(statut.minutes_sans_sonde, periode - 120 - 1, "ran without a probe");
        let attendu = 100.0 * (periode as f64 - 30.0 - 90.0) / (periode as f64 - 30.0);
        assert!((statut.disponibilite_pct.unwrap() - attendu).abs() < 1e-9, "{statut:?}");
        // before the start, days are not measured; the 5th shows the stop
        let jour = |j: u32| r.jours.iter().find(|x| x.jour == t(j, 0, 0).date_naive() && x.api == "statut-usager");
        assert_eq!(jour(1).unwrap().disponibilite_pct, None);
        let j5 = jour(5).unwrap().disponibilite_pct.unwrap();
        assert!((j5 - 100.0 * (1440.0 - 30.0 - 90.0) / (1440.0 - 30.0)).abs() < 1e-9, "{j5}");
        // never started: nothing measured
        let r = assembler("2026-02", None, debut, fin, &[], &sondes, vec![], &Marche::default(), &CiblesSla::default());
        assert_eq!((r.ensemble.minutes_periode, r.ensemble.disponibilite_pct), (0, None));
    }

    #[test]
    fn months_are_checked() {
        assert!(bornes("2026-13").is_err());
        assert!(bornes("2026-1").is_err());
        assert!(bornes("26-01").is_err());
        let (a, b) = bornes("2026-12").unwrap();
        assert_eq!(b - a, Duration::days(31));
    }
}
