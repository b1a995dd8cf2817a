//! Rendering a map of the events to PNG: Web Mercator, Natural Earth basemap,
//! markers by event type, labels that do not collide, legend, title and attribution.

pub mod basemap;

use std::sync::Once;

use geo::{BooleanOps, Coord, LineString, MultiLineString, Polygon, Rect};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use crate::coords::LonLat;
use crate::events::EventType;
use basemap::{Basemap, Detail};

/// Errors rendering a map.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("nothing to draw: no event was placed on the map")]
    Empty,
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// A place to draw with the events that happened there.
#[derive(Clone, Debug)]
pub struct MapPlace {
    pub pos: LonLat,
    pub name: String,
    /// Water bodies get blue italic-like labels.
    pub water: bool,
    /// Event types and their counts at this place, most first.
    pub events: Vec<(EventType, usize)>,
}

/// What to draw and how big.
#[derive(Clone, Debug)]
pub struct MapSpec {
    pub title: String,
    pub subtitle: String,
    pub places: Vec<MapPlace>,
    pub width: u32,
    pub height: u32,
}

/// The attribution line drawn on every map.
pub const ATTRIBUTION: &str =
    "Basemap: Natural Earth (public domain). Places: GeoNames (CC BY 4.0), Natural Earth, geoevents. Made with geoevents.";

/// Okabe–Ito colours (colour-blind safe), one per event type.
pub fn event_colour(t: EventType) -> RGBColor {
    match t {
        EventType::Patrol => RGBColor(0, 114, 178),
        EventType::Transit => RGBColor(86, 180, 233),
        EventType::Exercise => RGBColor(230, 159, 0),
        EventType::Deployment => RGBColor(213, 94, 0),
        EventType::Attack | EventType::Clash => RGBColor(180, 30, 30),
        EventType::Protest => RGBColor(204, 121, 167),
        EventType::Meeting | EventType::Agreement => RGBColor(0, 158, 115),
        EventType::Sanction => RGBColor(120, 90, 40),
        EventType::DiplomaticExpulsion | EventType::MissionClosure => RGBColor(204, 121, 167),
        EventType::Disaster => RGBColor(100, 100, 100),
        EventType::Statement => RGBColor(60, 60, 60),
    }
}

const OCEAN: RGBColor = RGBColor(214, 232, 245);
const LAND: RGBColor = RGBColor(244, 240, 228);
const BORDER: RGBColor = RGBColor(160, 150, 140);
const GRID: RGBColor = RGBColor(190, 210, 228);
const INK: RGBColor = RGBColor(30, 30, 30);
const WATER_INK: RGBColor = RGBColor(20, 80, 140);

static FONTS: Once = Once::new();

fn register_fonts() {
    FONTS.call_once(|| {
        // The font ships inside the binary (epaint_default_fonts), so no system font is needed.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Bold,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

fn merc_y(lat: f64) -> f64 {
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln()
}

/// Web Mercator view of an extent, fitted to the image.
struct View {
    x0: f64,
    y1: f64,
    scale: f64,
    /// Longitude shift applied to negative longitudes when the view crosses 180°.
    wrap: bool,
}

impl View {
    fn fit(places: &[MapPlace], w: u32, h: u32) -> View {
        let lons: Vec<f64> = places.iter().map(|p| p.pos.lon).collect();
        let (min, max) = min_max(&lons);
        let shifted: Vec<f64> = lons
            .iter()
            .map(|&l| if l < 0.0 { l + 360.0 } else { l })
            .collect();
        let (smin, smax) = min_max(&shifted);
        let wrap = max - min > 180.0 && smax - smin < max - min;
        let (lo, hi) = if wrap { (smin, smax) } else { (min, max) };
        let lats: Vec<f64> = places.iter().map(|p| p.pos.lat).collect();
        let (la, lb) = min_max(&lats);
        let lon_pad = ((hi - lo) * 0.25).max(4.0);
        let lat_pad = ((lb - la) * 0.25).max(3.0);
        let (mut x0, mut x1) = ((lo - lon_pad).to_radians(), (hi + lon_pad).to_radians());
        let (y0, mut y1) = (merc_y(la - lat_pad), merc_y(lb + lat_pad));
        // Fit the aspect ratio of the image by widening the narrower side.
        let aspect = w as f64 / h as f64;
        if (x1 - x0) / (y1 - y0) < aspect {
            let want = (y1 - y0) * aspect;
            let c = (x0 + x1) / 2.0;
            x0 = c - want / 2.0;
            x1 = c + want / 2.0;
        } else {
            let want = (x1 - x0) / aspect;
            y1 = (y0 + y1) / 2.0 + want / 2.0;
        }
        View {
            x0,
            y1,
            scale: w as f64 / (x1 - x0),
            wrap,
        }
    }

    fn lon_span_deg(&self, w: u32) -> f64 {
        (w as f64 / self.scale).to_degrees()
    }

    fn project(&self, p: LonLat) -> (f64, f64) {
        let lon = if self.wrap && p.lon < 0.0 {
            p.lon + 360.0
        } else {
            p.lon
        };
        (
            (lon.to_radians() - self.x0) * self.scale,
            (self.y1 - merc_y(p.lat)) * self.scale,
        )
    }

    fn project_shifted(&self, p: LonLat, shift: f64) -> Coord<f64> {
        let x = ((p.lon + shift).to_radians() - self.x0) * self.scale;
        Coord {
            x,
            y: (self.y1 - merc_y(p.lat)) * self.scale,
        }
    }

    /// Longitude shifts (0, ±360) under which world data lands in the view.
    fn shifts(&self, w: u32) -> Vec<f64> {
        let west = self.x0.to_degrees();
        let east = west + self.lon_span_deg(w);
        [-360.0, 0.0, 360.0]
            .into_iter()
            .filter(|s| east > -180.0 + s && west < 180.0 + s)
            .collect()
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)))
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn draw_err<E: std::fmt::Debug>(e: E) -> RenderError {
    RenderError::Draw(format!("{e:?}"))
}

fn to_px(c: &Coord<f64>) -> (i32, i32) {
    (c.x.round() as i32, c.y.round() as i32)
}

fn draw_basemap(root: &Area, view: &View, w: u32, h: u32) -> Result<(), RenderError> {
    let detail = if view.lon_span_deg(w) > 90.0 {
        Detail::Coarse
    } else {
        Detail::Medium
    };
    let base = Basemap::load(detail);
    let frame = Rect::new(
        Coord { x: -4.0, y: -4.0 },
        Coord {
            x: w as f64 + 4.0,
            y: h as f64 + 4.0,
        },
    );
    let frame_poly = frame.to_polygon();
    for shift in view.shifts(w) {
        for rings in &base.land {
            let ext: Vec<Coord<f64>> = rings[0]
                .iter()
                .map(|p| view.project_shifted(*p, shift))
                .collect();
            let (xs, ys): (Vec<f64>, Vec<f64>) = ext.iter().map(|c| (c.x, c.y)).unzip();
            let ((x0, x1), (y0, y1)) = (min_max(&xs), min_max(&ys));
            if x1 < 0.0 || y1 < 0.0 || x0 > w as f64 || y0 > h as f64 {
                continue;
            }
            let holes: Vec<LineString<f64>> = rings[1..]
                .iter()
                .map(|r| {
                    LineString::from(
                        r.iter()
                            .map(|p| view.project_shifted(*p, shift))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            let poly = Polygon::new(LineString::from(ext), holes);
            for part in poly.intersection(&frame_poly) {
                let pts: Vec<(i32, i32)> = part.exterior().coords().map(to_px).collect();
                if pts.len() >= 3 {
                    root.draw(&plotters::element::Polygon::new(pts, LAND.filled()))
                        .map_err(draw_err)?;
                }
                for hole in part.interiors() {
                    let pts: Vec<(i32, i32)> = hole.coords().map(to_px).collect();
                    root.draw(&plotters::element::Polygon::new(pts, OCEAN.filled()))
                        .map_err(draw_err)?;
                }
            }
        }
        let lines: MultiLineString<f64> = base
            .borders
            .iter()
            .map(|l| {
                LineString::from(
                    l.iter()
                        .map(|p| view.project_shifted(*p, shift))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        for l in frame_poly.clip(&lines, false) {
            let pts: Vec<(i32, i32)> = l.coords().map(to_px).collect();
            root.draw(&PathElement::new(pts, BORDER.stroke_width(1)))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}

fn graticule_step(span: f64) -> f64 {
    [1.0, 2.0, 5.0, 10.0, 15.0, 30.0]
        .into_iter()
        .find(|s| span / s <= 10.0)
        .unwrap_or(30.0)
}

fn draw_graticule(root: &Area, view: &View, w: u32, h: u32) -> Result<(), RenderError> {
    let west = view.x0.to_degrees();
    let span = view.lon_span_deg(w);
    let step = graticule_step(span);
    let label = ("sans-serif", 13).into_font().color(&WATER_INK);
    let mut lon = (west / step).ceil() * step;
    while lon < west + span {
        let (x, _) = view.project(LonLat::new(
            if lon > 180.0 { lon - 360.0 } else { lon },
            0.0,
        ));
        let x = if view.wrap || lon <= 180.0 {
            x
        } else {
            x + 2.0 * std::f64::consts::PI * view.scale
        };
        root.draw(&PathElement::new(
            vec![(x as i32, 0), (x as i32, h as i32)],
            GRID.stroke_width(1),
        ))
        .map_err(draw_err)?;
        let norm = ((lon + 180.0).rem_euclid(360.0)) - 180.0;
        let text = format!(
            "{}°{}",
            norm.abs(),
            if norm < 0.0 {
                "W"
            } else if norm > 0.0 {
                "E"
            } else {
                ""
            }
        );
        root.draw_text(&text, &label, (x as i32 + 3, h as i32 - 18))
            .map_err(draw_err)?;
        lon += step;
    }
    let mut lat = -80.0;
    while lat <= 80.0 {
        let (_, y) = view.project(LonLat::new(0.0, lat));
        if y > 0.0 && y < h as f64 {
            root.draw(&PathElement::new(
                vec![(0, y as i32), (w as i32, y as i32)],
                GRID.stroke_width(1),
            ))
            .map_err(draw_err)?;
            let text = format!(
                "{}°{}",
                lat.abs(),
                if lat < 0.0 {
                    "S"
                } else if lat > 0.0 {
                    "N"
                } else {
                    ""
                }
            );
            root.draw_text(&text, &label, (4, y as i32 - 16))
                .map_err(draw_err)?;
        }
        lat += step;
    }
    Ok(())
}

/// A label or marker footprint, for collision tests.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Bounds {
    pub fn intersects(&self, o: &Bounds) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

fn marker_radius(count: usize) -> i32 {
    (5.0 + 3.0 * (count as f64).sqrt()).round() as i32
}

fn text_with_halo(
    root: &Area,
    text: &str,
    size: u32,
    colour: RGBColor,
    at: (i32, i32),
) -> Result<(), RenderError> {
    let halo = ("sans-serif", size).into_font().color(&WHITE);
    for (dx, dy) in [
        (-2, 0),
        (2, 0),
        (0, -2),
        (0, 2),
        (-1, -1),
        (1, 1),
        (-1, 1),
        (1, -1),
    ] {
        root.draw_text(text, &halo, (at.0 + dx, at.1 + dy))
            .map_err(draw_err)?;
    }
    root.draw_text(text, &("sans-serif", size).into_font().color(&colour), at)
        .map_err(draw_err)
}

fn text_size(root: &Area, text: &str, size: u32) -> (i32, i32) {
    root.estimate_text_size(text, &("sans-serif", size).into_font().color(&INK))
        .map(|(w, h)| (w as i32, h as i32))
        .unwrap_or((text.len() as i32 * size as i32 / 2, size as i32))
}

/// Places markers and labels; returns the label boxes drawn (none overlap).
fn draw_places(
    root: &Area,
    view: &View,
    places: &[MapPlace],
    w: u32,
    h: u32,
) -> Result<Vec<Bounds>, RenderError> {
    let mut order: Vec<usize> = (0..places.len()).collect();
    let total = |p: &MapPlace| p.events.iter().map(|e| e.1).sum::<usize>();
    order.sort_by(|&a, &b| {
        total(&places[b])
            .cmp(&total(&places[a]))
            .then(places[a].name.cmp(&places[b].name))
    });
    let mut taken: Vec<Bounds> = Vec::new();
    let mut pos = Vec::new();
    for &i in &order {
        let p = &places[i];
        let (x, y) = view.project(p.pos);
        let (x, y) = (x.round() as i32, y.round() as i32);
        let r = marker_radius(total(p));
        let colour = p.events.first().map(|e| event_colour(e.0)).unwrap_or(INK);
        root.draw(&Circle::new((x, y), r, colour.mix(0.85).filled()))
            .map_err(draw_err)?;
        root.draw(&Circle::new((x, y), r, WHITE.stroke_width(2)))
            .map_err(draw_err)?;
        if p.events.len() > 1 {
            // A second ring shows the next most frequent type.
            root.draw(&Circle::new(
                (x, y),
                r + 3,
                event_colour(p.events[1].0).stroke_width(3),
            ))
            .map_err(draw_err)?;
        }
        taken.push(Bounds {
            x0: x - r - 3,
            y0: y - r - 3,
            x1: x + r + 3,
            y1: y + r + 3,
        });
        pos.push((i, x, y, r));
    }
    let mut labels = Vec::new();
    for (i, x, y, r) in pos {
        let p = &places[i];
        let size = 18;
        let (tw, th) = text_size(root, &p.name, size);
        let gap = r + 5;
        let candidates = [
            (x + gap, y - th / 2),
            (x - gap - tw, y - th / 2),
            (x - tw / 2, y - gap - th),
            (x - tw / 2, y + gap),
            (x + gap, y - gap - th / 2),
            (x + gap, y + gap - th / 2),
            (x - gap - tw, y - gap - th / 2),
            (x - gap - tw, y + gap - th / 2),
        ];
        for (lx, ly) in candidates {
            let b = Bounds {
                x0: lx - 2,
                y0: ly - 2,
                x1: lx + tw + 2,
                y1: ly + th + 2,
            };
            let inside = b.x0 >= 0 && b.y0 >= 0 && b.x1 <= w as i32 && b.y1 <= h as i32;
            if inside && !taken.iter().any(|t| t.intersects(&b)) {
                text_with_halo(
                    root,
                    &p.name,
                    size,
                    if p.water { WATER_INK } else { INK },
                    (lx, ly),
                )?;
                taken.push(b);
                labels.push(b);
                break;
            }
        }
    }
    Ok(labels)
}

fn draw_frame_texts(root: &Area, spec: &MapSpec) -> Result<(), RenderError> {
    let (w, h) = (spec.width as i32, spec.height as i32);
    // Title block.
    let (tw, _) = text_size(root, &spec.title, 28);
    let (sw, _) = text_size(root, &spec.subtitle, 17);
    let bw = tw.max(sw) + 32;
    root.draw(&Rectangle::new(
        [(12, 12), (12 + bw, 92)],
        WHITE.mix(0.88).filled(),
    ))
    .map_err(draw_err)?;
    root.draw(&Rectangle::new(
        [(12, 12), (12 + bw, 92)],
        BORDER.stroke_width(1),
    ))
    .map_err(draw_err)?;
    root.draw_text(
        &spec.title,
        &("sans-serif", 28).into_font().color(&INK),
        (28, 22),
    )
    .map_err(draw_err)?;
    root.draw_text(
        &spec.subtitle,
        &("sans-serif", 17).into_font().color(&INK),
        (28, 60),
    )
    .map_err(draw_err)?;

    // Legend of the event types on the map.
    let mut types: Vec<EventType> = spec
        .places
        .iter()
        .flat_map(|p| p.events.iter().map(|e| e.0))
        .collect();
    types.sort();
    types.dedup();
    let row = 26;
    let lh = 40 + row * types.len() as i32;
    let lw = 250;
    let (lx, ly) = (12, h - 40 - lh);
    root.draw(&Rectangle::new(
        [(lx, ly), (lx + lw, ly + lh)],
        WHITE.mix(0.88).filled(),
    ))
    .map_err(draw_err)?;
    root.draw(&Rectangle::new(
        [(lx, ly), (lx + lw, ly + lh)],
        BORDER.stroke_width(1),
    ))
    .map_err(draw_err)?;
    root.draw_text(
        "Events",
        &("sans-serif", 19).into_font().color(&INK),
        (lx + 12, ly + 8),
    )
    .map_err(draw_err)?;
    for (k, t) in types.iter().enumerate() {
        let cy = ly + 44 + row * k as i32;
        root.draw(&Circle::new((lx + 22, cy), 8, event_colour(*t).filled()))
            .map_err(draw_err)?;
        root.draw_text(
            t.label(),
            &("sans-serif", 16).into_font().color(&INK),
            (lx + 40, cy - 9),
        )
        .map_err(draw_err)?;
    }

    // Attribution.
    let font = ("sans-serif", 13)
        .into_font()
        .color(&INK)
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    let (aw, ah) = text_size(root, ATTRIBUTION, 13);
    root.draw(&Rectangle::new(
        [(w - aw - 16, h - ah - 10), (w, h)],
        WHITE.mix(0.8).filled(),
    ))
    .map_err(draw_err)?;
    root.draw_text(ATTRIBUTION, &font, (w - 8, h - 6))
        .map_err(draw_err)?;
    Ok(())
}

/// Renders the map to PNG bytes; also returns the label boxes, which never overlap.
pub fn render_png(spec: &MapSpec) -> Result<(Vec<u8>, Vec<Bounds>), RenderError> {
    if spec.places.is_empty() {
        return Err(RenderError::Empty);
    }
    register_fonts();
    let (w, h) = (spec.width, spec.height);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    let labels;
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&OCEAN).map_err(draw_err)?;
        let view = View::fit(&spec.places, w, h);
        draw_basemap(&root, &view, w, h)?;
        draw_graticule(&root, &view, w, h)?;
        labels = draw_places(&root, &view, &spec.places, w, h)?;
        draw_frame_texts(&root, spec)?;
        root.present().map_err(draw_err)?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&buf, w, h, image::ColorType::Rgb8)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok((png, labels))
}

use image::ImageEncoder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png_with_non_overlapping_labels() {
        let places = (0..30)
            .map(|i| MapPlace {
                pos: LonLat::new(139.0 + (i % 6) as f64 * 0.3, 40.0 + (i / 6) as f64 * 0.3),
                name: format!("Place number {i}"),
                water: i % 2 == 0,
                events: vec![(EventType::Patrol, 1 + i % 3)],
            })
            .collect();
        let spec = MapSpec {
            title: "t".into(),
            subtitle: "s".into(),
            places,
            width: 800,
            height: 600,
        };
        let (png, labels) = render_png(&spec).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert!(!labels.is_empty());
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!a.intersects(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn view_across_the_antimeridian_is_not_split() {
        let p = |lon| MapPlace {
            pos: LonLat::new(lon, -17.0),
            name: "x".into(),
            water: false,
            events: vec![],
        };
        let v = View::fit(&[p(178.4), p(-171.8)], 1000, 700);
        assert!(v.wrap);
        assert!(v.lon_span_deg(1000) < 60.0);
    }
}
