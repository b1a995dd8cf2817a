//! Geoparsing evaluation against gold toponyms: detection precision/recall/F1,
//! accuracy within 161 km (end to end and resolution only), error statistics
//! and the AUC of the error curve (Gritta et al., "What's missing in geoparsing?").

use serde::Serialize;

use crate::coords::LonLat;

/// Largest possible error on Earth, given to gold toponyms with no prediction.
///
/// # Units
/// Kilometres.
pub const MAX_ERROR_KM: f64 = 20_039.0;

/// A predicted mention: span and point.
#[derive(Clone, Copy, Debug)]
pub struct Predicted {
    pub start: usize,
    pub end: usize,
    pub point: LonLat,
}

/// A gold toponym: span and point.
#[derive(Clone, Copy, Debug)]
pub struct Gold {
    pub start: usize,
    pub end: usize,
    pub point: LonLat,
}

/// Scores of one run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scores {
    pub documents: usize,
    pub gold_toponyms: usize,
    pub predicted_mentions: usize,
    pub detection_precision: f64,
    pub detection_recall: f64,
    pub detection_f1: f64,
    /// Share of gold toponyms found and resolved within 161 km.
    pub end_to_end_acc161: f64,
    /// Share of gold toponyms resolved within 161 km when their spans are given.
    pub resolution_acc161: f64,
    /// Over resolution-only runs; missing answers count as `MAX_ERROR_KM`.
    pub resolution_mean_error_km: f64,
    pub resolution_median_error_km: f64,
    /// Area under the curve of sorted, log-scaled errors (0 best, 1 worst).
    pub resolution_auc: f64,
    pub end_to_end_auc: f64,
    pub documents_per_second: f64,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Per-document counts for detection and end-to-end accuracy.
#[derive(Clone, Debug, Default)]
pub struct DocCounts {
    pub gold: usize,
    pub predicted: usize,
    pub predicted_matched: usize,
    pub gold_matched: usize,
    pub correct161: usize,
    /// One error per gold toponym (`MAX_ERROR_KM` where nothing matched).
    pub errors: Vec<f64>,
}

/// Compares predictions with gold for one document. A prediction matches a gold
/// toponym when their spans overlap; its error is the distance between their points.
pub fn score_document(pred: &[Predicted], gold: &[Gold]) -> DocCounts {
    let mut c = DocCounts {
        gold: gold.len(),
        predicted: pred.len(),
        ..Default::default()
    };
    c.predicted_matched = pred
        .iter()
        .filter(|p| {
            gold.iter()
                .any(|g| overlaps((p.start, p.end), (g.start, g.end)))
        })
        .count();
    for g in gold {
        let best = pred
            .iter()
            .filter(|p| overlaps((p.start, p.end), (g.start, g.end)))
            .map(|p| p.point.distance_km(g.point))
            .fold(None, |acc: Option<f64>, d| {
                Some(acc.map_or(d, |a| a.min(d)))
            });
        match best {
            Some(d) => {
                c.gold_matched += 1;
                if d <= 161.0 {
                    c.correct161 += 1;
                }
                c.errors.push(d);
            }
            None => c.errors.push(MAX_ERROR_KM),
        }
    }
    c
}

/// AUC of the error curve: errors sorted, each scaled as ln(1+e)/ln(1+max), averaged.
pub fn auc(errors: &[f64]) -> f64 {
    if errors.is_empty() {
        return 0.0;
    }
    let mut e: Vec<f64> = errors
        .iter()
        .map(|x| (1.0 + x.min(MAX_ERROR_KM)).ln() / (1.0 + MAX_ERROR_KM).ln())
        .collect();
    e.sort_by(f64::total_cmp);
    if e.len() == 1 {
        return e[0];
    }
    // Trapezoids over x in [0, 1].
    let n = (e.len() - 1) as f64;
    e.windows(2).map(|w| (w[0] + w[1]) / 2.0 / n).sum()
}

fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 0 {
        (s[m - 1] + s[m]) / 2.0
    } else {
        s[m]
    }
}

/// Sums per-document counts of the end-to-end run and the resolution-only run.
pub fn summarise(e2e: &[DocCounts], resolution: &[DocCounts], seconds: f64) -> Scores {
    let sum = |f: &dyn Fn(&DocCounts) -> usize, v: &[DocCounts]| v.iter().map(f).sum::<usize>();
    let gold = sum(&|c| c.gold, e2e);
    let pred = sum(&|c| c.predicted, e2e);
    let p = if pred == 0 {
        0.0
    } else {
        sum(&|c| c.predicted_matched, e2e) as f64 / pred as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        sum(&|c| c.gold_matched, e2e) as f64 / gold as f64
    };
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    let res_errors: Vec<f64> = resolution
        .iter()
        .flat_map(|c| c.errors.iter().copied())
        .collect();
    let e2e_errors: Vec<f64> = e2e.iter().flat_map(|c| c.errors.iter().copied()).collect();
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    Scores {
        documents: e2e.len(),
        gold_toponyms: gold,
        predicted_mentions: pred,
        detection_precision: round(p),
        detection_recall: round(r),
        detection_f1: round(f1),
        end_to_end_acc161: round(ratio(sum(&|c| c.correct161, e2e), gold)),
        resolution_acc161: round(ratio(
            sum(&|c| c.correct161, resolution),
            sum(&|c| c.gold, resolution),
        )),
        resolution_mean_error_km: round(
            res_errors.iter().sum::<f64>() / res_errors.len().max(1) as f64,
        ),
        resolution_median_error_km: round(median(&res_errors)),
        resolution_auc: round(auc(&res_errors)),
        end_to_end_auc: round(auc(&e2e_errors)),
        documents_per_second: round(if seconds > 0.0 {
            e2e.len() as f64 / seconds
        } else {
            0.0
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lon: f64, lat: f64) -> LonLat {
        LonLat::new(lon, lat)
    }

    #[test]
    fn overlap_matching_and_accuracy() {
        let gold = [
            Gold {
                start: 0,
                end: 6,
                point: pt(37.6, 55.7),
            },
            Gold {
                start: 10,
                end: 15,
                point: pt(2.35, 48.85),
            },
        ];
        // Moscow found right; a spurious mention; Paris missed.
        let pred = [
            Predicted {
                start: 0,
                end: 6,
                point: pt(37.7, 55.8),
            },
            Predicted {
                start: 20,
                end: 25,
                point: pt(0.0, 0.0),
            },
        ];
        let c = score_document(&pred, &gold);
        assert_eq!(
            (c.predicted_matched, c.gold_matched, c.correct161),
            (1, 1, 1)
        );
        let s = summarise(std::slice::from_ref(&c), std::slice::from_ref(&c), 1.0);
        assert_eq!(s.detection_precision, 0.5);
        assert_eq!(s.detection_recall, 0.5);
        assert_eq!(s.end_to_end_acc161, 0.5);
    }

    #[test]
    fn auc_bounds() {
        assert_eq!(auc(&[0.0, 0.0]), 0.0);
        assert!((auc(&[MAX_ERROR_KM, MAX_ERROR_KM]) - 1.0).abs() < 1e-9);
        let mid = auc(&[0.0, MAX_ERROR_KM]);
        assert!((mid - 0.5).abs() < 1e-9);
    }
}
