//! The French business calendar used by the service-level deadlines.
//!
//! - Public holidays of metropolitan France (Code du travail, art. L3133-1): 1 January,
//!   Easter Monday, 1 May, 8 May, Ascension Thursday, Whit Monday, 14 July, 15 August,
//!   1 November, 11 November, 25 December. Easter follows the Meeus/Butcher computus of the
//!   Gregorian calendar. Alsace-Moselle's extra days (Good Friday, 26 December) are not
//!   holidays here, nor is any "bridge" day.
//! - Business days: Monday to Friday, holidays excepted.
//! - Business hours: 09:00–12:00 and 13:00–18:00, Europe/Paris wall-clock time, i.e. eight
//!   hours a day — seed 002 annex 2 §3 counts "1 jour (8 heures ouvrables)".
//!
//! Every instant is a `DateTime<Utc>`; the business hours are read on the Paris wall clock, so
//! the daylight-saving changes (last Sunday of March and of October, at night, on a Sunday)
//! never shift or shorten a business day.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;

use crate::dossier::codes::coded_enum;

/// Business hours of one business day, `[opening, closing)` on the Paris wall clock.
pub const PLAGES_OUVRABLES: [(u32, u32); 2] = [(9, 12), (13, 18)];

/// Business hours in one business day.
pub const HEURES_OUVRABLES_PAR_JOUR: i64 = 8;

coded_enum!(
    /// A public holiday of metropolitan France.
    JourFerie, "jour férié" {
        JourDeLAn => ("JOUR_DE_L_AN", "Jour de l'an (1er janvier)"),
        LundiDePaques => ("LUNDI_DE_PAQUES", "Lundi de Pâques"),
        FeteDuTravail => ("FETE_DU_TRAVAIL", "Fête du Travail (1er mai)"),
        Victoire1945 => ("VICTOIRE_1945", "Victoire de 1945 (8 mai)"),
        Ascension => ("ASCENSION", "Jeudi de l'Ascension"),
        LundiDePentecote => ("LUNDI_DE_PENTECOTE", "Lundi de Pentecôte"),
        FeteNationale => ("FETE_NATIONALE", "Fête nationale (14 juillet)"),
        Assomption => ("ASSOMPTION", "Assomption (15 août)"),
        Toussaint => ("TOUSSAINT", "Toussaint (1er novembre)"),
        Armistice1918 => ("ARMISTICE_1918", "Armistice de 1918 (11 novembre)"),
        Noel => ("NOEL", "Noël (25 décembre)"),
    }
);

/// Easter Sunday of a Gregorian year (Meeus/Butcher anonymous algorithm).
///
/// # Panics
/// Outside chrono's date range (years beyond ±262,000).
pub fn paques(annee: i32) -> NaiveDate {
    let y = i64::from(annee);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let mois = n.div_euclid(31) as u32;
    let jour = (n.rem_euclid(31) + 1) as u32;
    NaiveDate::from_ymd_opt(annee, mois, jour).expect("année hors du calendrier pris en charge")
}

/// The eleven public holidays of a year, in date order. Ascension may fall on 1 or 8 May
/// (as in 2008): the date then appears twice, once per holiday.
///
/// # Panics
/// Outside chrono's date range.
pub fn jours_feries(annee: i32) -> Vec<(NaiveDate, JourFerie)> {
    let date = |m, j| NaiveDate::from_ymd_opt(annee, m, j).expect("année hors du calendrier pris en charge");
    let p = paques(annee);
    let mut feries = vec![
        (date(1, 1), JourFerie::JourDeLAn),
        (p + Duration::days(1), JourFerie::LundiDePaques),
        (date(5, 1), JourFerie::FeteDuTravail),
        (date(5, 8), JourFerie::Victoire1945),
        (p + Duration::days(39), JourFerie::Ascension),
        (p + Duration::days(50), JourFerie::LundiDePentecote),
        (date(7, 14), JourFerie::FeteNationale),
        (date(8, 15), JourFerie::Assomption),
        (date(11, 1), JourFerie::Toussaint),
        (date(11, 11), JourFerie::Armistice1918),
        (date(12, 25), JourFerie::Noel),
    ];
    feries.sort();
    feries
}

/// The holiday falling on a day, if any (the fixed-date one when Ascension coincides).
pub fn jour_ferie(jour: NaiveDate) -> Option<JourFerie> {
    jours_feries(jour.year()).into_iter().find(|(d, _)| *d == jour).map(|(_, f)| f)
}

/// Whether a day is a public holiday of metropolitan France.
pub fn est_ferie(jour: NaiveDate) -> bool {
    jour_ferie(jour).is_some()
}

/// Whether a day is a business day: Monday to Friday, not a holiday.
pub fn est_ouvre(jour: NaiveDate) -> bool {
    !matches!(jour.weekday(), Weekday::Sat | Weekday::Sun) && !est_ferie(jour)
}

/// Whether an instant falls within business hours (opening included, closing excluded).
pub fn est_heure_ouvrable(t: DateTime<Utc>) -> bool {
    let l = paris(t);
    est_ouvre(l.date()) && plages(l.date()).iter().any(|&(o, f)| o <= l && l < f)
}

/// The instant itself if it falls within business hours, otherwise the next opening.
pub fn prochaine_ouverture(t: DateTime<Utc>) -> DateTime<Utc> {
    let mut curseur = paris(t);
    let mut jour = curseur.date();
    loop {
        if est_ouvre(jour) {
            for (o, f) in plages(jour) {
                let debut = curseur.max(o);
                if debut < f {
                    return utc(debut);
                }
            }
        }
        jour = lendemain(jour);
        curseur = jour.and_time(NaiveTime::MIN);
    }
}

/// The instant at which `duree` of business time has elapsed since `debut`.
///
/// A start outside business hours counts from the next opening. A duration ending exactly at
/// a closing gives that closing (11:00 + 1 h is 12:00 the same day, not 13:00). A zero or
/// negative duration gives `debut` unchanged.
///
/// # Panics
/// When the result would fall outside chrono's date range.
pub fn ajouter_heures_ouvrables(debut: DateTime<Utc>, duree: Duration) -> DateTime<Utc> {
    if duree <= Duration::zero() {
        return debut;
    }
    let mut reste = duree;
    let mut curseur = paris(debut);
    let mut jour = curseur.date();
    loop {
        if est_ouvre(jour) {
            for (o, f) in plages(jour) {
                let depart = curseur.max(o);
                if depart < f {
                    let disponible = f - depart;
                    if reste <= disponible {
                        return utc(depart + reste);
                    }
                    reste -= disponible;
                }
            }
        }
        jour = lendemain(jour);
        curseur = jour.and_time(NaiveTime::MIN);
    }
}

/// `n` business days of eight business hours after `debut`: Tuesday 10:00 + 1 is Wednesday
/// 10:00, Friday 17:00 + 1 is Monday 17:00 (holidays skipped), Saturday + 1 is Monday 18:00.
pub fn ajouter_jours_ouvres(debut: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    ajouter_heures_ouvrables(debut, Duration::hours(HEURES_OUVRABLES_PAR_JOUR * i64::from(n)))
}

/// Business time elapsed between `a` and `b`; zero when `b` is not after `a`.
pub fn duree_ouvrable_entre(a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
    if b <= a {
        return Duration::zero();
    }
    let (la, lb) = (paris(a), paris(b));
    let mut total = Duration::zero();
    let mut jour = la.date();
    while jour <= lb.date() {
        if est_ouvre(jour) {
            for (o, f) in plages(jour) {
                let (debut, fin) = (la.max(o), lb.min(f));
                if debut < fin {
                    total += fin - debut;
                }
            }
        }
        jour = lendemain(jour);
    }
    total
}

/// The Paris wall-clock time of an instant.
fn paris(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&Paris).naive_local()
}

/// The instant of a Paris wall-clock time. Business hours are never in a daylight-saving gap
/// or fold; for completeness a time in the spring gap is read one hour later and a time in
/// the autumn fold as its first occurrence.
fn utc(local: NaiveDateTime) -> DateTime<Utc> {
    Paris
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| Paris.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .expect("heure de Paris sans correspondance UTC")
        .with_timezone(&Utc)
}

fn plages(jour: NaiveDate) -> [(NaiveDateTime, NaiveDateTime); 2] {
    let heure = |h: u32| jour.and_hms_opt(h, 0, 0).expect("heure valide");
    PLAGES_OUVRABLES.map(|(o, f)| (heure(o), heure(f)))
}

fn lendemain(jour: NaiveDate) -> NaiveDate {
    jour.succ_opt().expect("date hors du calendrier pris en charge")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::codes::Coded;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    /// A Paris wall-clock time, "YYYY-MM-DD HH:MM".
    fn p(s: &str) -> DateTime<Utc> {
        let l = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        Paris.from_local_datetime(&l).single().unwrap().with_timezone(&Utc)
    }
    /// A UTC instant, RFC 3339.
    fn u(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    fn h(n: i64) -> Duration {
        Duration::hours(n)
    }
    fn min(n: i64) -> Duration {
        Duration::minutes(n)
    }

    #[test]
    fn easter_by_the_computus() {
        // Known Easter Sundays, including the earliest (22 March) and latest (25 April).
        for (annee, date) in [
            (1818, "1818-03-22"),
            (1961, "1961-04-02"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2016, "2016-03-27"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(paques(annee), d(date), "Pâques {annee}");
            assert_eq!(paques(annee).weekday(), Weekday::Sun);
        }
    }

    #[test]
    fn holidays_of_2025_and_2026() {
        let attendus_2025 = [
            "2025-01-01",
            "2025-04-21",
            "2025-05-01",
            "2025-05-08",
            "2025-05-29",
            "2025-06-09",
            "2025-07-14",
            "2025-08-15",
            "2025-11-01",
            "2025-11-11",
            "2025-12-25",
        ];
        let dates: Vec<_> = jours_feries(2025).into_iter().map(|(j, _)| j).collect();
        assert_eq!(dates, attendus_2025.map(d).to_vec());
        assert_eq!(jour_ferie(d("2026-04-06")), Some(JourFerie::LundiDePaques));
        assert_eq!(jour_ferie(d("2026-05-14")), Some(JourFerie::Ascension));
        assert_eq!(jour_ferie(d("2026-05-25")), Some(JourFerie::LundiDePentecote));
        assert_eq!(jour_ferie(d("2024-04-01")), Some(JourFerie::LundiDePaques));
        assert_eq!(jour_ferie(d("2024-05-09")), Some(JourFerie::Ascension));
        assert_eq!(jour_ferie(d("2024-05-20")), Some(JourFerie::LundiDePentecote));
        assert_eq!(JourFerie::FeteNationale.code(), "FETE_NATIONALE");
        // Good Friday and Boxing Day are holidays only in Alsace-Moselle.
        assert!(!est_ferie(d("2025-04-18")));
        assert!(!est_ferie(d("2025-12-26")));
        assert!(!est_ferie(d("2025-04-20")), "Easter Sunday is a Sunday, not a listed holiday");
    }

    #[test]
    fn ascension_on_the_first_of_may() {
        // 2008: Easter 23 March, Ascension 1 May.
        let f = jours_feries(2008);
        assert_eq!(f.len(), 11);
        assert!(f.contains(&(d("2008-05-01"), JourFerie::FeteDuTravail)));
        assert!(f.contains(&(d("2008-05-01"), JourFerie::Ascension)));
        assert!(est_ferie(d("2008-05-01")));
        assert_eq!(jours_feries(2008).iter().filter(|(j, _)| *j == d("2008-05-12")).count(), 1);
    }

    #[test]
    fn business_days() {
        assert!(est_ouvre(d("2025-03-04")), "mardi");
        assert!(!est_ouvre(d("2025-03-01")), "samedi");
        assert!(!est_ouvre(d("2025-03-02")), "dimanche");
        assert!(!est_ouvre(d("2025-04-21")), "lundi de Pâques");
        assert!(!est_ouvre(d("2025-05-29")), "Ascension");
        assert!(est_ouvre(d("2025-05-30")), "le pont de l'Ascension est travaillé");
        assert!(!est_ouvre(d("2025-07-14")), "14 juillet, un lundi");
        assert!(!est_ouvre(d("2025-12-25")));
        assert!(est_ouvre(d("2025-12-26")));
    }

    #[test]
    fn business_hours_bounds() {
        assert!(!est_heure_ouvrable(p("2025-03-04 08:59")));
        assert!(est_heure_ouvrable(p("2025-03-04 09:00")));
        assert!(est_heure_ouvrable(p("2025-03-04 11:59")));
        assert!(!est_heure_ouvrable(p("2025-03-04 12:00")));
        assert!(!est_heure_ouvrable(p("2025-03-04 12:30")));
        assert!(est_heure_ouvrable(p("2025-03-04 13:00")));
        assert!(!est_heure_ouvrable(p("2025-03-04 18:00")));
        assert!(!est_heure_ouvrable(p("2025-03-01 10:00")), "samedi");
        assert_eq!(prochaine_ouverture(p("2025-03-04 08:00")), p("2025-03-04 09:00"));
        assert_eq!(prochaine_ouverture(p("2025-03-04 12:30")), p("2025-03-04 13:00"));
        assert_eq!(prochaine_ouverture(p("2025-03-04 10:15")), p("2025-03-04 10:15"));
        assert_eq!(prochaine_ouverture(p("2025-03-07 18:00")), p("2025-03-10 09:00"));
    }

    #[test]
    fn adding_within_a_day() {
        // Tuesday 4 March 2025, winter time (UTC+1).
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 10:00"), h(1)), u("2025-03-04T10:00:00Z"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 11:00"), h(1)), p("2025-03-04 12:00"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 11:00"), h(2)), p("2025-03-04 14:00"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 09:00"), h(8)), p("2025-03-04 18:00"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 09:00"), min(481)), p("2025-03-05 09:01"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 10:00"), Duration::zero()), p("2025-03-04 10:00"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-01 10:00"), h(-3)), p("2025-03-01 10:00"));
    }

    #[test]
    fn starts_outside_business_hours() {
        // 08:00 starts at 09:00.
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 08:00"), h(1)), p("2025-03-04 10:00"));
        // 12:30 starts at 13:00.
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 12:30"), h(1)), p("2025-03-04 14:00"));
        // 17:59 + 2 min: 1 min on Tuesday, 1 min on Wednesday.
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 17:59"), min(2)), p("2025-03-05 09:01"));
        // Friday 17:59 + 2 min: Monday 09:01.
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-07 17:59"), min(2)), p("2025-03-10 09:01"));
        // 20:00 and Saturday start at the next opening.
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-04 20:00"), h(4)), p("2025-03-05 14:00"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-08 10:00"), h(8)), p("2025-03-10 18:00"));
    }

    #[test]
    fn over_a_weekend() {
        // Friday 17:00 + 8 h: 1 h on Friday (17–18), 3 h Monday morning (9–12), 4 h from 13:00.
        assert_eq!(ajouter_heures_ouvrables(p("2025-03-07 17:00"), h(8)), p("2025-03-10 17:00"));
        assert_eq!(ajouter_jours_ouvres(p("2025-03-07 17:00"), 1), p("2025-03-10 17:00"));
        assert_eq!(ajouter_jours_ouvres(p("2025-03-04 10:00"), 1), p("2025-03-05 10:00"));
        // Thursday 10:00 + 3 business days: Friday, Monday, Tuesday.
        assert_eq!(ajouter_jours_ouvres(p("2025-03-06 10:00"), 3), p("2025-03-11 10:00"));
        assert_eq!(ajouter_jours_ouvres(p("2025-03-06 10:00"), 0), p("2025-03-06 10:00"));
    }

    #[test]
    fn over_easter_monday() {
        // Friday 18 April 2025 14:00 + 8 h: 4 h on Friday; Monday 21 is Easter Monday;
        // Tuesday 9–12 (3 h) and 13–14 (1 h). Summer time, UTC+2.
        assert_eq!(ajouter_heures_ouvrables(p("2025-04-18 14:00"), h(8)), u("2025-04-22T12:00:00Z"));
    }

    #[test]
    fn over_ascension_and_its_bridge() {
        // Wednesday 28 May 2025 16:00 + 4 h: 2 h on Wednesday, Thursday 29 is Ascension,
        // Friday 30 (the bridge) is worked: 09:00 + 2 h.
        assert_eq!(ajouter_heures_ouvrables(p("2025-05-28 16:00"), h(4)), p("2025-05-30 11:00"));
        // 1 May and 8 May 2025 are Thursdays.
        assert_eq!(ajouter_heures_ouvrables(p("2025-04-30 17:00"), h(2)), p("2025-05-02 10:00"));
        assert_eq!(ajouter_heures_ouvrables(p("2025-05-07 17:00"), h(2)), p("2025-05-09 10:00"));
    }

    #[test]
    fn over_fourteenth_of_july() {
        // Friday 11 July 2025 17:00 + 2 h: 1 h Friday, Monday 14 July off, Tuesday 10:00.
        assert_eq!(ajouter_heures_ouvrables(p("2025-07-11 17:00"), h(2)), u("2025-07-15T08:00:00Z"));
    }

    #[test]
    fn over_all_saints_day() {
        // Thursday 31 October 2024 17:00 + 2 h: Friday 1 November off, Monday 4 at 10:00 (UTC+1).
        assert_eq!(ajouter_heures_ouvrables(p("2024-10-31 17:00"), h(2)), u("2024-11-04T09:00:00Z"));
        // Monday 10 November 2025 17:00 + 2 h: Tuesday 11 November off, Wednesday 10:00.
        assert_eq!(ajouter_heures_ouvrables(p("2025-11-10 17:00"), h(2)), p("2025-11-12 10:00"));
    }

    #[test]
    fn over_christmas_and_new_year() {
        // Wednesday 24 December 2025 17:30 + 1 h: 30 min, Christmas off, Friday 26 at 09:30.
        assert_eq!(ajouter_heures_ouvrables(p("2025-12-24 17:30"), h(1)), u("2025-12-26T08:30:00Z"));
        // Wednesday 31 December 2025 17:00 + 2 h: 1 January 2026 off, Friday 2 at 10:00.
        assert_eq!(ajouter_heures_ouvrables(p("2025-12-31 17:00"), h(2)), p("2026-01-02 10:00"));
        // Across the year: 31 Dec 2025 09:00 + 16 h = end of Friday 2 January 2026.
        assert_eq!(ajouter_heures_ouvrables(p("2025-12-31 09:00"), h(16)), p("2026-01-02 18:00"));
    }

    #[test]
    fn across_daylight_saving_changes() {
        // Spring: Sunday 30 March 2025. Friday 17:00 CET (16:00Z) + 8 h = Monday 17:00 CEST (15:00Z).
        let debut = p("2025-03-28 17:00");
        assert_eq!(debut, u("2025-03-28T16:00:00Z"));
        assert_eq!(ajouter_heures_ouvrables(debut, h(8)), u("2025-03-31T15:00:00Z"));
        // Autumn: Sunday 26 October 2025. Friday 17:00 CEST (15:00Z) + 8 h = Monday 17:00 CET (16:00Z).
        let debut = p("2025-10-24 17:00");
        assert_eq!(debut, u("2025-10-24T15:00:00Z"));
        assert_eq!(ajouter_heures_ouvrables(debut, h(8)), u("2025-10-27T16:00:00Z"));
        // Elapsed business time over the change: exactly one business day each time.
        assert_eq!(duree_ouvrable_entre(u("2025-03-28T08:00:00Z"), u("2025-03-31T07:00:00Z")), h(8));
        assert_eq!(duree_ouvrable_entre(u("2025-10-24T07:00:00Z"), u("2025-10-27T08:00:00Z")), h(8));
    }

    #[test]
    fn elapsed_business_time() {
        assert_eq!(duree_ouvrable_entre(p("2025-03-04 10:00"), p("2025-03-04 11:30")), min(90));
        // Over lunch: 11:00–12:00 and 13:00–14:00.
        assert_eq!(duree_ouvrable_entre(p("2025-03-04 11:00"), p("2025-03-04 14:00")), h(2));
        // Friday 17:00 to Monday 17:00 is the 8 h of the weekend example.
        assert_eq!(duree_ouvrable_entre(p("2025-03-07 17:00"), p("2025-03-10 17:00")), h(8));
        // Entirely outside business hours.
        assert_eq!(duree_ouvrable_entre(p("2025-03-08 08:00"), p("2025-03-09 20:00")), Duration::zero());
        assert_eq!(duree_ouvrable_entre(p("2025-03-04 12:10"), p("2025-03-04 12:50")), Duration::zero());
        // Reversed bounds give zero.
        assert_eq!(duree_ouvrable_entre(p("2025-03-04 14:00"), p("2025-03-04 10:00")), Duration::zero());
        // A whole week with Easter Monday: Tuesday to Friday, 4 × 8 h.
        assert_eq!(duree_ouvrable_entre(p("2025-04-19 00:00"), p("2025-04-26 00:00")), h(32));
        // Inverse of the addition.
        let debut = p("2025-12-24 10:20");
        for n in [1, 7, 8, 9, 23, 40, 100] {
            let fin = ajouter_heures_ouvrables(debut, h(n));
            assert_eq!(duree_ouvrable_entre(debut, fin), h(n), "{n} h");
        }
    }
}
