//! Rendering maps to PNG and SVG with one drawing routine: projection (Web
//! Mercator or Equal Earth, chosen by extent), a Natural Earth basemap at the
//! detail the extent needs, graticule, markers by event type, routes, areas,
//! labels that never collide, legend, title, scale bar and attribution.
//!
//! The renderer is format-neutral: it draws a [`MapSpec`], which [`scene`] builds
//! from events and the gazetteer, or from any GeoJSON (see [`layers`]).

pub mod basemap;
pub mod labels;
pub mod layers;
pub mod project;
pub mod scene;

use std::sync::Once;

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::coords::{BBox, LonLat};
use crate::events::{EventType, Family};
use basemap::{Basemap, Detail};
pub use labels::Bounds;
use labels::Occupancy;
pub use project::{Projection, View};

/// Errors rendering a map.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("nothing to draw: no event was placed on the map")]
    Empty,
    #[error("the image size {0}×{1} is not between 200×150 and 10000×10000 pixels")]
    Size(u32, u32),
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
    /// Water bodies get blue labels.
    pub water: bool,
    /// Event types and their counts at this place, most first.
    pub events: Vec<(EventType, usize)>,
    /// The feature's extent when it is an area (a sea, a country). Very large
    /// areas do not stretch the map: their marker moves into the view.
    pub area: Option<BBox>,
}

/// A route: ordered positions, drawn as an arrow from the first to the last.
#[derive(Clone, Debug)]
pub struct MapRoute {
    pub points: Vec<LonLat>,
    pub event_type: Option<EventType>,
    pub label: String,
}

/// An area: exterior ring then holes, drawn with a translucent fill.
#[derive(Clone, Debug)]
pub struct MapPolygon {
    pub rings: Vec<Vec<LonLat>>,
    pub event_type: Option<EventType>,
    pub label: String,
}

/// Kinds of background names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContextKind {
    Ocean,
    Sea,
    Country,
}

/// A name of the background (sea, ocean, country) that is drawn where it fits.
#[derive(Clone, Debug)]
pub struct ContextName {
    pub pos: LonLat,
    pub name: String,
    pub kind: ContextKind,
    pub bbox: Option<BBox>,
    /// 1 (most prominent) to 5.
    pub rank: u8,
}

/// What to draw and how.
#[derive(Clone, Debug)]
pub struct MapSpec {
    pub title: String,
    pub subtitle: String,
    pub places: Vec<MapPlace>,
    pub routes: Vec<MapRoute>,
    pub polygons: Vec<MapPolygon>,
    /// Background names; only those in view and with room are drawn.
    pub context: Vec<ContextName>,
    pub width: u32,
    pub height: u32,
    /// What to show (`west > east` crosses 180°); `None` fits the data.
    pub extent: Option<BBox>,
    /// `None` chooses by extent: Web Mercator regionally, Equal Earth for the world.
    pub projection: Option<Projection>,
}

impl MapSpec {
    /// An empty 1600×1100 map with a title.
    pub fn new(title: impl Into<String>) -> MapSpec {
        MapSpec {
            title: title.into(),
            subtitle: String::new(),
            places: Vec::new(),
            routes: Vec::new(),
            polygons: Vec::new(),
            context: Vec::new(),
            width: 1600,
            height: 1100,
            extent: None,
            projection: None,
        }
    }
}

/// Output image formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    /// From a file name's extension (`.png`, `.svg`).
    pub fn from_path(p: &std::path::Path) -> Option<Format> {
        match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }
}

/// What kind of text a label is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    Place,
    Route,
    Area,
    Context,
    Graticule,
}

/// A label that was drawn, with its box (halo included).
#[derive(Clone, Debug)]
pub struct PlacedLabel {
    pub text: String,
    pub bounds: Bounds,
    pub kind: LabelKind,
}

/// A rendered map.
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// Every label drawn; no two boxes intersect.
    pub labels: Vec<PlacedLabel>,
    /// Data labels that had no room and were dropped, lowest priority last.
    pub dropped: Vec<String>,
    pub projection: Projection,
    /// Every marker drawn (a place, or a cluster of places).
    pub markers: Vec<Marker>,
    /// Places with events whose point is outside the view: not drawn, listed in
    /// the caption under the title, most events first.
    pub outside: Vec<String>,
    /// The view drawn: projection, centre and scale, to place points on the image.
    pub view: View,
}

/// A marker as drawn: its centre and radius in pixels, the events it stands for,
/// and how many places it gathers (1 for a place; more for a cluster).
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    pub events: usize,
    pub places: usize,
    pub name: String,
}

/// Beyond this many places in view, places are gathered into clusters of
/// [`CLUSTER_PX`] screen cells, each drawn as one marker sized by its events.
pub const AGGREGATE_ABOVE: usize = 300;
/// The side of a cluster's screen cell, in pixels.
pub const CLUSTER_PX: f64 = 48.0;
/// When places are clustered, only this many of the strongest get a label.
const CLUSTER_LABELS: usize = 60;

/// The attribution line drawn on every map.
pub const ATTRIBUTION: &str =
    "Basemap: Natural Earth (public domain). Places: GeoNames (CC BY 4.0), Natural Earth, geoevents.";

/// Okabe–Ito colours (colour-blind safe): one per military movement, one per family
/// for the rest (battles, explosions, protests ...), grey for statements.
pub fn event_colour(t: EventType) -> RGBColor {
    match t {
        EventType::Patrol => RGBColor(0, 114, 178),
        EventType::Transit => RGBColor(86, 180, 233),
        EventType::Exercise => RGBColor(230, 159, 0),
        EventType::Deployment => RGBColor(213, 94, 0),
        EventType::Statement => RGBColor(60, 60, 60),
        _ => match t.family() {
            Family::Movement => RGBColor(0, 114, 178),
            Family::Battle => RGBColor(170, 30, 30),
            Family::Explosion => RGBColor(213, 94, 0),
            Family::ViolenceAgainstCivilians => RGBColor(0, 0, 0),
            Family::Protest | Family::Riot => RGBColor(204, 121, 167),
            Family::Strategic => RGBColor(120, 90, 40),
            Family::Diplomacy => RGBColor(0, 158, 115),
            Family::Disaster => RGBColor(240, 228, 66),
        },
    }
}

/// Marker shapes, so types differ by more than colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

/// The marker shape of an event type.
pub fn event_shape(t: EventType) -> Shape {
    match t {
        EventType::Patrol => Shape::Circle,
        EventType::Transit | EventType::Deployment => Shape::Triangle,
        EventType::Exercise => Shape::Diamond,
        EventType::Statement | EventType::MissionClosure => Shape::TriangleDown,
        _ => match t.family() {
            Family::Movement | Family::Protest | Family::Disaster => Shape::Circle,
            Family::Battle | Family::ViolenceAgainstCivilians => Shape::TriangleDown,
            Family::Explosion => Shape::Diamond,
            Family::Riot | Family::Strategic | Family::Diplomacy => Shape::Square,
        },
    }
}

const PAPER: RGBColor = RGBColor(250, 250, 248);
const OCEAN: RGBColor = RGBColor(206, 226, 242);
const LAND: RGBColor = RGBColor(243, 239, 226);
const BORDER: RGBColor = RGBColor(150, 138, 128);
const ADMIN1: RGBColor = RGBColor(196, 186, 176);
const COAST: RGBColor = RGBColor(150, 180, 205);
const GRID: RGBColor = RGBColor(178, 202, 224);
const INK: RGBColor = RGBColor(30, 30, 30);
const WATER_INK: RGBColor = RGBColor(30, 90, 150);
const COUNTRY_INK: RGBColor = RGBColor(120, 110, 100);
const PLACE_ONLY: RGBColor = RGBColor(80, 80, 80);
const ROUTE_DEFAULT: RGBColor = RGBColor(213, 94, 0);

/// The embedded font's family, with a generic fallback for SVG viewers without it.
const FONT: &str = "Ubuntu, sans-serif";

static FONTS: Once = Once::new();

fn register_fonts() {
    FONTS.call_once(|| {
        // The font ships inside the binary (epaint_default_fonts), so no system font is needed.
        for style in [FontStyle::Normal, FontStyle::Bold, FontStyle::Italic] {
            let _ = plotters::style::register_font(FONT, style, epaint_default_fonts::UBUNTU_LIGHT);
        }
    });
}

fn draw_err<E: std::fmt::Debug>(e: E) -> RenderError {
    RenderError::Draw(format!("{e:?}"))
}

/// Renders the map to PNG bytes; also returns the label boxes, which never overlap.
pub fn render_png(spec: &MapSpec) -> Result<(Vec<u8>, Vec<Bounds>), RenderError> {
    let r = render(spec, Format::Png)?;
    Ok((r.bytes, r.labels.iter().map(|l| l.bounds).collect()))
}

/// Renders the map in `format`. The same drawing code makes both formats.
pub fn render(spec: &MapSpec, format: Format) -> Result<Rendered, RenderError> {
    if spec.places.is_empty() && spec.routes.is_empty() && spec.polygons.is_empty() {
        return Err(RenderError::Empty);
    }
    let (w, h) = (spec.width, spec.height);
    if !(200..=10_000).contains(&w) || !(150..=10_000).contains(&h) {
        return Err(RenderError::Size(w, h));
    }
    register_fonts();
    let plan = Plan::new(spec);
    // Many places: one marker per screen cell, drawn from a copy of the spec.
    let clustered = aggregate(spec, &plan);
    let (spec, plan) = match &clustered {
        Some((s, p)) => (s, p),
        None => (spec, &plan),
    };
    let plan = &plan;
    match format {
        Format::Png => {
            let mut buf = vec![0u8; (w * h * 3) as usize];
            let (labels, dropped, markers) = {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                let r = draw_map(&root, spec, plan)?;
                root.present().map_err(draw_err)?;
                r
            };
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new_with_quality(
                &mut png,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Sub,
            )
            .write_image(&buf, w, h, image::ColorType::Rgb8)
            .map_err(|e| RenderError::Encode(e.to_string()))?;
            Ok(Rendered {
                bytes: png,
                labels,
                dropped,
                projection: plan.view.proj,
                markers,
                outside: plan.outside.clone(),
                view: plan.view.clone(),
            })
        }
        Format::Svg => {
            let mut svg = String::new();
            let (labels, dropped, markers) = {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                let r = draw_map(&root, spec, plan)?;
                root.present().map_err(draw_err)?;
                r
            };
            Ok(Rendered {
                bytes: svg.into_bytes(),
                labels,
                dropped,
                projection: plan.view.proj,
                markers,
                outside: plan.outside.clone(),
                view: plan.view.clone(),
            })
        }
    }
}

/// Decisions made before drawing: the view and where each place goes.
struct Plan {
    view: View,
    /// Pixel position of each place (None: out of view).
    place_px: Vec<Option<(f64, f64)>>,
    /// Places with events out of view, for the caption: "name (n events)".
    outside: Vec<String>,
    /// Number of places gathered into clusters (0: every place has its own marker).
    clustered: usize,
    /// Places in each cluster, by place index (empty when not clustered).
    members: Vec<usize>,
}

/// Pixel positions of places in view; a place whose point is outside the view
/// is not drawn (not pulled to the edge, where it would seem to be somewhere else).
fn place_pixels(view: &View, places: &[MapPlace]) -> Vec<Option<(f64, f64)>> {
    let (w, h) = (view.width, view.height);
    places
        .iter()
        .map(|p| {
            let (x, y) = view.px(p.pos);
            (p.pos.is_valid() && x >= 0.0 && y >= 0.0 && x <= w && y <= h).then_some((x, y))
        })
        .collect()
}

/// The caption's list of places with events that are out of view, most events first.
fn outside_list(places: &[MapPlace], px: &[Option<(f64, f64)>]) -> Vec<String> {
    let mut out: Vec<(usize, &str)> = places
        .iter()
        .zip(px)
        .filter(|(p, at)| at.is_none() && place_total(p) > 0 && !p.name.is_empty())
        .map(|(p, _)| (place_total(p), p.name.as_str()))
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    out.dedup_by(|a, b| a.1 == b.1);
    out.into_iter()
        .map(|(n, name)| {
            let s = if n == 1 { "" } else { "s" };
            format!("{name} ({n} event{s})")
        })
        .collect()
}

/// Gathers the places in view into clusters when there are more than
/// [`AGGREGATE_ABOVE`]: one per [`CLUSTER_PX`] screen cell, at the mean of its
/// places, with their events summed by type and the name of its strongest place.
/// Linear in places (a map from cell to cluster). `None` when few enough.
fn aggregate(spec: &MapSpec, plan: &Plan) -> Option<(MapSpec, Plan)> {
    let visible = plan.place_px.iter().filter(|p| p.is_some()).count();
    if visible <= AGGREGATE_ABOVE {
        return None;
    }
    struct Cluster {
        sx: f64,
        sy: f64,
        n: usize,
        best: usize,
        water: bool,
        events: std::collections::BTreeMap<EventType, usize>,
    }
    let mut cells: std::collections::BTreeMap<(i64, i64), Cluster> = Default::default();
    for (i, (p, px)) in spec.places.iter().zip(&plan.place_px).enumerate() {
        let Some((x, y)) = *px else { continue };
        let key = (
            (x / CLUSTER_PX).floor() as i64,
            (y / CLUSTER_PX).floor() as i64,
        );
        let c = cells.entry(key).or_insert(Cluster {
            sx: 0.0,
            sy: 0.0,
            n: 0,
            best: i,
            water: true,
            events: Default::default(),
        });
        c.sx += x;
        c.sy += y;
        c.n += 1;
        c.water &= p.water;
        let b = &spec.places[c.best];
        if (place_total(p), std::cmp::Reverse(&p.name))
            > (place_total(b), std::cmp::Reverse(&b.name))
        {
            c.best = i;
        }
        for &(t, k) in &p.events {
            *c.events.entry(t).or_default() += k;
        }
    }
    let mut places = Vec::with_capacity(cells.len());
    let mut px = Vec::with_capacity(cells.len());
    let mut members = Vec::with_capacity(cells.len());
    let mut clustered = 0;
    for c in cells.into_values() {
        let best = &spec.places[c.best];
        let mut events: Vec<(EventType, usize)> = c.events.into_iter().collect();
        events.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let name = if c.n > 1 {
            clustered += c.n;
            format!("{} (+{})", best.name, c.n - 1)
        } else {
            best.name.clone()
        };
        places.push(MapPlace {
            pos: best.pos,
            name,
            water: c.water,
            events,
            area: None,
        });
        px.push(Some((c.sx / c.n as f64, c.sy / c.n as f64)));
        members.push(c.n);
    }
    let spec = MapSpec {
        places,
        ..spec.clone()
    };
    let plan = Plan {
        view: plan.view.clone(),
        place_px: px,
        outside: plan.outside.clone(),
        clustered,
        members,
    };
    Some((spec, plan))
}

fn is_soft(p: &MapPlace) -> bool {
    p.area.is_some_and(|b| {
        let wdt = if b.west <= b.east {
            b.east - b.west
        } else {
            b.east + 360.0 - b.west
        };
        wdt > 25.0 || b.north - b.south > 18.0
    })
}

impl Plan {
    fn new(spec: &MapSpec) -> Plan {
        let (w, h) = (spec.width, spec.height);
        let mut pts: Vec<LonLat> = Vec::new();
        let hard: Vec<&MapPlace> = spec.places.iter().filter(|p| !is_soft(p)).collect();
        if hard.is_empty() {
            pts.extend(spec.places.iter().map(|p| p.pos));
        } else {
            pts.extend(hard.iter().map(|p| p.pos));
        }
        for r in &spec.routes {
            pts.extend(r.points.iter().copied());
        }
        for p in &spec.polygons {
            pts.extend(p.rings.iter().flatten().copied());
        }
        pts.retain(|p| p.is_valid());
        let data_extent = if pts.is_empty() {
            BBox {
                west: -180.0,
                south: -60.0,
                east: 180.0,
                north: 80.0,
            }
        } else {
            let lons: Vec<f64> = pts.iter().map(|p| p.lon).collect();
            let (west, span) = project::lon_cover(&lons);
            let (s, n) = pts.iter().fold((90.0f64, -90.0f64), |(a, b), p| {
                (a.min(p.lat), b.max(p.lat))
            });
            let lon_pad = (span * 0.15).max(2.0);
            let lat_pad = ((n - s) * 0.15).max(1.5);
            let span = (span + 2.0 * lon_pad).min(360.0);
            let west = if span >= 360.0 {
                -180.0
            } else {
                west - lon_pad
            };
            BBox {
                west: project::wrap180(west),
                south: (s - lat_pad).max(-89.0),
                east: project::wrap180(west + span),
                north: (n + lat_pad).min(89.0),
            }
        };
        let extent = spec.extent.unwrap_or(data_extent);
        let width = if extent.west < extent.east {
            extent.east - extent.west
        } else {
            extent.east + 360.0 - extent.west
        };
        let big = width > 110.0 || extent.north - extent.south > 75.0;
        let proj = spec.projection.unwrap_or(if big {
            Projection::EqualEarth
        } else {
            Projection::WebMercator
        });
        let view = if proj == Projection::EqualEarth && big {
            // A world map, centred on the Pacific when the data sit there.
            let centre = project::wrap180(extent.west + width / 2.0);
            let lon0 = if spec.extent.is_none() && width < 300.0 && centre.abs() > 100.0 {
                150.0
            } else {
                0.0
            };
            let world = BBox {
                west: project::wrap180(lon0 - 180.0),
                south: -90.0,
                east: project::wrap180(lon0 - 180.0) + 359.999,
                north: 90.0,
            };
            View::fit(proj, world, true, w, h)
        } else {
            let mut e = extent;
            if proj == Projection::WebMercator {
                e.south = e.south.max(-80.0);
                e.north = e.north.min(84.0);
            }
            View::fit(proj, e, false, w, h)
        };
        let place_px = place_pixels(&view, &spec.places);
        let outside = outside_list(&spec.places, &place_px);
        Plan {
            view,
            place_px,
            outside,
            clustered: 0,
            members: Vec::new(),
        }
    }
}

/// Drawing helpers over any plotters backend.
struct Canvas<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
}

fn ipt(p: &(f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    fn fill(&self, pts: &[(f64, f64)], style: ShapeStyle) -> Result<(), RenderError> {
        let v: Vec<(i32, i32)> = pts.iter().map(ipt).collect();
        self.root
            .draw(&plotters::element::Polygon::new(v, style))
            .map_err(draw_err)
    }

    fn line(&self, pts: &[(f64, f64)], style: ShapeStyle) -> Result<(), RenderError> {
        let mut v: Vec<(i32, i32)> = pts.iter().map(ipt).collect();
        v.dedup();
        if v.len() < 2 {
            return Ok(());
        }
        self.root
            .draw(&PathElement::new(v, style))
            .map_err(draw_err)
    }

    fn rect(&self, b: Bounds, style: ShapeStyle) -> Result<(), RenderError> {
        self.root
            .draw(&Rectangle::new([(b.x0, b.y0), (b.x1, b.y1)], style))
            .map_err(draw_err)
    }

    fn text_size(&self, text: &str, size: u32) -> (i32, i32) {
        self.root
            .estimate_text_size(text, &(FONT, size).into_font().color(&INK))
            .map(|(w, h)| (w as i32, h as i32))
            .unwrap_or((text.chars().count() as i32 * size as i32 / 2, size as i32))
    }

    fn text(
        &self,
        text: &str,
        size: u32,
        colour: RGBColor,
        at: (i32, i32),
    ) -> Result<(), RenderError> {
        self.root
            .draw_text(text, &(FONT, size).into_font().color(&colour), at)
            .map_err(draw_err)
    }

    /// Text with a white halo, so it reads over land, water and lines.
    fn halo_text(
        &self,
        text: &str,
        size: u32,
        colour: RGBColor,
        at: (i32, i32),
    ) -> Result<(), RenderError> {
        self.halo_text_weight(text, size, colour, at, false)
    }

    /// Like `halo_text`; `bold` doubles the strokes (the embedded font has one weight).
    fn halo_text_weight(
        &self,
        text: &str,
        size: u32,
        colour: RGBColor,
        at: (i32, i32),
        bold: bool,
    ) -> Result<(), RenderError> {
        let halo = (FONT, size).into_font().color(&WHITE.mix(0.9));
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
            self.root
                .draw_text(text, &halo, (at.0 + dx, at.1 + dy))
                .map_err(draw_err)?;
        }
        if bold {
            self.text(text, size, colour, (at.0 + 1, at.1))?;
        }
        self.text(text, size, colour, at)
    }

    fn marker(
        &self,
        shape: Shape,
        x: f64,
        y: f64,
        r: f64,
        colour: RGBColor,
    ) -> Result<(), RenderError> {
        let pts: Vec<(f64, f64)> = match shape {
            Shape::Circle => {
                let c = (x.round() as i32, y.round() as i32);
                let r = r.round() as i32;
                self.root
                    .draw(&Circle::new(c, r + 1, WHITE.filled()))
                    .map_err(draw_err)?;
                self.root
                    .draw(&Circle::new(c, r, colour.filled()))
                    .map_err(draw_err)?;
                return Ok(());
            }
            Shape::Square => {
                let s = r * 0.9;
                vec![
                    (x - s, y - s),
                    (x + s, y - s),
                    (x + s, y + s),
                    (x - s, y + s),
                ]
            }
            Shape::Diamond => {
                let s = r * 1.2;
                vec![(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
            }
            Shape::Triangle => {
                let s = r * 1.25;
                vec![
                    (x, y - s),
                    (x + s * 0.95, y + s * 0.6),
                    (x - s * 0.95, y + s * 0.6),
                ]
            }
            Shape::TriangleDown => {
                let s = r * 1.25;
                vec![
                    (x, y + s),
                    (x + s * 0.95, y - s * 0.6),
                    (x - s * 0.95, y - s * 0.6),
                ]
            }
        };
        let grown: Vec<(f64, f64)> = pts
            .iter()
            .map(|&(px, py)| {
                let (dx, dy) = (px - x, py - y);
                let d = (dx * dx + dy * dy).sqrt().max(1e-9);
                (px + dx / d * 1.6, py + dy / d * 1.6)
            })
            .collect();
        self.fill(&grown, WHITE.filled())?;
        self.fill(&pts, colour.filled())
    }
}

fn marker_radius(count: usize) -> f64 {
    (4.0 + 2.5 * (count.max(1) as f64).sqrt()).min(20.0)
}

/// A cluster's radius grows with the logarithm of its events, so a cell of
/// thousands stays readable beside one of tens; at most 22 px, so markers of
/// neighbouring 48 px cells hardly cover each other.
fn cluster_radius(count: usize) -> f64 {
    (4.0 + 2.4 * (1.0 + count as f64).ln()).min(22.0)
}

fn place_total(p: &MapPlace) -> usize {
    p.events.iter().map(|e| e.1).sum()
}

/// What `draw_map` drew: the labels, the data labels dropped, the markers.
type Drawn = (Vec<PlacedLabel>, Vec<String>, Vec<Marker>);

/// Draws everything; returns the labels drawn and the data labels dropped.
fn draw_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &MapSpec,
    plan: &Plan,
) -> Result<Drawn, RenderError> {
    let c = Canvas { root };
    let view = &plan.view;
    let (w, h) = (spec.width as f64, spec.height as f64);
    let mut occ = Occupancy::new(spec.width, spec.height);

    // Background: water, or paper around the world's outline.
    if view.world {
        root.fill(&PAPER).map_err(draw_err)?;
        let mut outline = Vec::new();
        for i in 0..=90 {
            outline.push(view.px_rel(-180.0, -90.0 + 2.0 * i as f64));
        }
        for i in 0..=90 {
            outline.push(view.px_rel(180.0, 90.0 - 2.0 * i as f64));
        }
        c.fill(&outline, OCEAN.filled())?;
    } else {
        root.fill(&OCEAN).map_err(draw_err)?;
    }
    let span = view.lon_span();
    let detail = if span > 70.0 {
        Detail::Coarse
    } else if span > 14.0 {
        Detail::Medium
    } else {
        Detail::Fine
    };
    let base = Basemap::get(detail);
    draw_graticule_lines(&c, view)?;
    for poly in &base.land {
        for (k, ring) in poly.iter().enumerate() {
            let colour = if k == 0 { LAND } else { OCEAN };
            for piece in view.pieces(ring, true) {
                for px in view.to_pixels(&piece, true) {
                    c.fill(&px, colour.filled())?;
                    c.line(&close(&px), COAST.stroke_width(1))?;
                }
            }
        }
    }
    if span <= 30.0 {
        for l in Basemap::admin1() {
            for piece in view.pieces(l, false) {
                for px in view.to_pixels(&piece, false) {
                    c.line(&px, ADMIN1.stroke_width(1))?;
                }
            }
        }
    }
    for l in &base.borders {
        for piece in view.pieces(l, false) {
            for px in view.to_pixels(&piece, false) {
                c.line(&px, BORDER.stroke_width(if span > 70.0 { 1 } else { 2 }))?;
            }
        }
    }

    // Furniture boxes first, so labels keep clear of them.
    let furniture = layout_furniture(&c, spec, plan);
    for b in furniture.boxes() {
        occ.add(b);
    }

    // Areas.
    let mut area_labels = Vec::new();
    for p in &spec.polygons {
        let colour = p.event_type.map(event_colour).unwrap_or(ROUTE_DEFAULT);
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        for (k, ring) in p.rings.iter().enumerate() {
            for piece in view.pieces(ring, true) {
                for px in view.to_pixels(&piece, true) {
                    if k == 0 {
                        c.fill(&px, colour.mix(0.28).filled())?;
                        for q in &px {
                            sx += q.0;
                            sy += q.1;
                            n += 1.0;
                        }
                    }
                    c.line(&close(&px), colour.stroke_width(2))?;
                }
            }
        }
        if n > 0.0 && !p.label.is_empty() {
            area_labels.push((p.label.clone(), sx / n, sy / n));
        }
    }

    // Routes: a white casing, a coloured line, an arrowhead at the end.
    let mut route_labels = Vec::new();
    for r in &spec.routes {
        let colour = r.event_type.map(event_colour).unwrap_or(ROUTE_DEFAULT);
        let mut path = route_path(view, &r.points);
        // Stop short of the last point, so the arrowhead does not hide its marker.
        let end = path.last().copied();
        if let Some(end) = end {
            while path.len() > 2 {
                let q = path[path.len() - 1];
                if ((q.0 - end.0).powi(2) + (q.1 - end.1).powi(2)).sqrt() >= 12.0 {
                    break;
                }
                path.pop();
            }
        }
        if path.len() < 2 {
            continue;
        }
        for run in project::clip_line(&path, -50.0, w + 50.0, -50.0, h + 50.0) {
            c.line(&run, WHITE.mix(0.9).stroke_width(7))?;
            c.line(&run, colour.stroke_width(4))?;
        }
        let n = path.len();
        let (tip, from) = (path[n - 1], path[n.saturating_sub(4)]);
        let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
        let d = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / d, dy / d);
        let (len, half) = (22.0, 10.0);
        let head = [
            (tip.0 + ux * 4.0, tip.1 + uy * 4.0),
            (tip.0 - ux * len - uy * half, tip.1 - uy * len + ux * half),
            (tip.0 - ux * len + uy * half, tip.1 - uy * len - ux * half),
        ];
        let casing: Vec<(f64, f64)> = head
            .iter()
            .map(|&(x, y)| {
                let (cx, cy) = (tip.0 - ux * len * 0.4, tip.1 - uy * len * 0.4);
                (x + (x - cx) * 0.15, y + (y - cy) * 0.15)
            })
            .collect();
        c.fill(&casing, WHITE.filled())?;
        c.fill(&head, colour.filled())?;
        if !r.label.is_empty() {
            route_labels.push((r.label.clone(), path.clone()));
        }
        // Keep labels off the route's line.
        for wnd in path.windows(2).step_by(2) {
            let (a, b) = (wnd[0], wnd[1]);
            occ.add(Bounds::new(
                (a.0.min(b.0) - 3.0) as i32,
                (a.1.min(b.1) - 3.0) as i32,
                (a.0.max(b.0) + 3.0) as i32,
                (a.1.max(b.1) + 3.0) as i32,
            ));
        }
    }

    // Markers, biggest first so small ones stay visible on top.
    let mut order: Vec<usize> = (0..spec.places.len())
        .filter(|&i| plan.place_px[i].is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&spec.places[a], &spec.places[b]);
        place_total(pb)
            .cmp(&place_total(pa))
            .then(pa.water.cmp(&pb.water))
            .then(pa.name.cmp(&pb.name))
            .then(a.cmp(&b))
    });
    let mut radii = vec![0.0; spec.places.len()];
    let mut markers = Vec::with_capacity(order.len());
    let size = if plan.clustered > 0 {
        cluster_radius
    } else {
        marker_radius
    };
    for &i in &order {
        let p = &spec.places[i];
        let (x, y) = plan.place_px[i].unwrap_or_default();
        let (shape, colour, r) = match p.events.first() {
            Some(&(t, _)) => (event_shape(t), event_colour(t), size(place_total(p))),
            None => (Shape::Circle, PLACE_ONLY, 4.0),
        };
        radii[i] = r;
        markers.push(Marker {
            x,
            y,
            radius: r,
            events: place_total(p),
            places: plan.members.get(i).copied().unwrap_or(1),
            name: p.name.clone(),
        });
        if p.events.len() > 1 {
            // A ring in the colour of the second most frequent type.
            root.draw(&Circle::new(
                (x.round() as i32, y.round() as i32),
                (r + 4.0).round() as i32,
                event_colour(p.events[1].0).stroke_width(3),
            ))
            .map_err(draw_err)?;
        }
        c.marker(shape, x, y, r, colour)?;
        let e = r.ceil() as i32 + if p.events.len() > 1 { 6 } else { 2 };
        occ.add(Bounds::new(
            x as i32 - e,
            y as i32 - e,
            x as i32 + e + 1,
            y as i32 + e + 1,
        ));
    }

    // Data labels in priority order: places, routes, areas.
    let mut placed = Vec::new();
    let mut dropped = Vec::new();
    let mut shown_names = std::collections::HashSet::new();
    for (k, &i) in order.iter().enumerate() {
        let p = &spec.places[i];
        if p.name.is_empty() {
            continue;
        }
        // Clustered: only the strongest clusters are named.
        if plan.clustered > 0 && k >= CLUSTER_LABELS {
            dropped.push(p.name.clone());
            continue;
        }
        let (x, y) = plan.place_px[i].unwrap_or_default();
        let bold = place_total(p) > 0;
        let size = if bold { 19 } else { 16 };
        let (tw, th) = c.text_size(&p.name, size);
        let tw = tw + bold as i32;
        let r = radii[i].ceil() as i32 + if p.events.len() > 1 { 4 } else { 0 };
        match occ.place_around(x.round() as i32, y.round() as i32, r, tw, th) {
            Some(b) => {
                let colour = if p.water { WATER_INK } else { INK };
                c.halo_text_weight(&p.name, size, colour, (b.x0 + 3, b.y0 + 3), bold)?;
                shown_names.insert(p.name.clone());
                placed.push(PlacedLabel {
                    text: p.name.clone(),
                    bounds: b,
                    kind: LabelKind::Place,
                });
            }
            None => dropped.push(p.name.clone()),
        }
    }
    // Route labels: along the line, above or below it, away from its ends first.
    for (text, path) in route_labels {
        let text = text.replace('→', "–");
        let (tw, th) = c.text_size(&text, 16);
        let n = path.len();
        let mut got = None;
        'try_spots: for t in [0.3, 0.7, 0.5, 0.2, 0.8, 0.4, 0.6] {
            let (x, y) = path[((n - 1) as f64 * t) as usize];
            for dy in [-(th / 2) - 14, th / 2 + 14, -(th / 2) - 40, th / 2 + 40] {
                if let Some(b) = occ.place_centred(x as i32, y as i32 + dy, tw, th) {
                    got = Some(b);
                    break 'try_spots;
                }
            }
        }
        match got {
            Some(b) => {
                c.halo_text(&text, 16, INK, (b.x0 + 3, b.y0 + 3))?;
                placed.push(PlacedLabel {
                    text,
                    bounds: b,
                    kind: LabelKind::Route,
                });
            }
            None => dropped.push(text),
        }
    }
    for (kind, list) in [(LabelKind::Area, area_labels)] {
        for (text, x, y) in list {
            // The embedded font has no arrows.
            let text = text.replace('→', "–");
            let (tw, th) = c.text_size(&text, 16);
            let b = occ
                .place_centred(x as i32, y as i32 - th, tw, th)
                .or_else(|| occ.place_around(x as i32, y as i32, 6, tw, th));
            match b {
                Some(b) => {
                    c.halo_text(&text, 16, INK, (b.x0 + 3, b.y0 + 3))?;
                    placed.push(PlacedLabel {
                        text,
                        bounds: b,
                        kind,
                    });
                }
                None => dropped.push(text),
            }
        }
    }

    // Background names where they fit: oceans, seas, then countries.
    let mut ctx: Vec<&ContextName> = spec
        .context
        .iter()
        .filter(|n| !shown_names.contains(&n.name))
        .collect();
    ctx.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(a.rank.cmp(&b.rank))
            .then(a.name.cmp(&b.name))
    });
    for n in ctx {
        let (x, y) = view.px(n.pos);
        if !(0.0..w).contains(&x) || !(0.0..h).contains(&y) {
            continue;
        }
        let (size, colour, text) = match n.kind {
            ContextKind::Ocean => (20, WATER_INK, n.name.clone()),
            ContextKind::Sea => (16, WATER_INK, n.name.clone()),
            ContextKind::Country => (15, COUNTRY_INK, n.name.to_uppercase()),
        };
        let (tw, th) = c.text_size(&text, size);
        // Only name features big enough on this map to hold their name.
        if let Some(b) = n.bbox {
            let (bx0, by0) = view.px(LonLat::new(b.west, b.north));
            let (bx1, by1) = view.px(LonLat::new(b.east, b.south));
            let bw = if bx1 > bx0 { bx1 - bx0 } else { bx1 + w - bx0 };
            if bw < tw as f64 * 0.8 || (by1 - by0) < th as f64 * 1.5 {
                continue;
            }
        } else if n.rank as f64 > 1.0 + 300.0 / span.max(1.0) {
            continue;
        }
        if let Some(b) = occ.place_centred(x as i32, y as i32, tw, th) {
            c.halo_text(&text, size, colour, (b.x0 + 3, b.y0 + 3))?;
            placed.push(PlacedLabel {
                text,
                bounds: b,
                kind: LabelKind::Context,
            });
        }
    }

    for (text, x, y) in graticule_labels(view) {
        let (tw, th) = c.text_size(&text, 13);
        let (lx, ly) = (x.round() as i32, y.round() as i32);
        let b = Bounds::new(lx - 3, ly - 3, lx + tw + 3, ly + th + 3);
        if b.inside(spec.width as i32, spec.height as i32) && !occ.collides(&b) {
            occ.add(b);
            c.halo_text(&text, 13, WATER_INK, (lx, ly))?;
            placed.push(PlacedLabel {
                text,
                bounds: b,
                kind: LabelKind::Graticule,
            });
        }
    }

    furniture.draw(&c, spec, view)?;
    Ok((placed, dropped, markers))
}

fn close(px: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut v = px.to_vec();
    if let Some(&f) = px.first() {
        v.push(f);
    }
    v
}

/// Pixel path of a route: a gentle arc for two points, a smooth curve through more.
fn route_path(view: &View, pts: &[LonLat]) -> Vec<(f64, f64)> {
    let mut rel = Vec::with_capacity(pts.len());
    let mut prev: Option<f64> = None;
    for p in pts.iter().filter(|p| p.is_valid()) {
        let mut r = project::wrap180(p.lon - view.lon0);
        if let Some(q) = prev {
            while r - q > 180.0 {
                r -= 360.0;
            }
            while q - r > 180.0 {
                r += 360.0;
            }
        }
        prev = Some(r);
        rel.push(view.px_rel(r, p.lat));
    }
    rel.dedup_by(|a, b| (a.0 - b.0).abs() < 0.5 && (a.1 - b.1).abs() < 0.5);
    match rel.len() {
        0 | 1 => rel,
        2 => {
            let (a, b) = (rel[0], rel[1]);
            let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let ctrl = (mx - dy * 0.18, my + dx * 0.18);
            (0..=32)
                .map(|i| {
                    let t = i as f64 / 32.0;
                    let u = 1.0 - t;
                    (
                        u * u * a.0 + 2.0 * u * t * ctrl.0 + t * t * b.0,
                        u * u * a.1 + 2.0 * u * t * ctrl.1 + t * t * b.1,
                    )
                })
                .collect()
        }
        n => {
            // Catmull–Rom through the points.
            let mut out = Vec::new();
            for i in 0..n - 1 {
                let p0 = rel[i.saturating_sub(1)];
                let (p1, p2) = (rel[i], rel[i + 1]);
                let p3 = rel[(i + 2).min(n - 1)];
                for k in 0..16 {
                    let t = k as f64 / 16.0;
                    let (t2, t3) = (t * t, t * t * t);
                    let f = |a: f64, b: f64, c: f64, d: f64| {
                        0.5 * (2.0 * b
                            + (-a + c) * t
                            + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2
                            + (-a + 3.0 * b - 3.0 * c + d) * t3)
                    };
                    out.push((f(p0.0, p1.0, p2.0, p3.0), f(p0.1, p1.1, p2.1, p3.1)));
                }
            }
            out.push(rel[n - 1]);
            out
        }
    }
}

fn graticule_step(span: f64) -> f64 {
    [0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0]
        .into_iter()
        .find(|s| span / s <= 9.0)
        .unwrap_or(30.0)
}

fn lat_range(view: &View) -> (f64, f64) {
    let lim = if view.proj == Projection::WebMercator {
        project::MERC_MAX_LAT
    } else {
        90.0
    };
    (view.lat.0.max(-lim), view.lat.1.min(lim))
}

fn draw_graticule_lines<DB: DrawingBackend>(
    c: &Canvas<DB>,
    view: &View,
) -> Result<(), RenderError> {
    let step = graticule_step(view.lon_span().min(360.0));
    let (la, lb) = lat_range(view);
    let style = GRID.stroke_width(1);
    let (r0, r1) = (view.rel_lon.0.max(-180.0), view.rel_lon.1.min(180.0));
    let mut lon = ((view.lon0 + r0) / step).ceil() * step;
    while lon <= view.lon0 + r1 + 1e-9 {
        let rel = lon - view.lon0;
        let line: Vec<(f64, f64)> = (0..=48)
            .map(|i| (rel, la + (lb - la) * i as f64 / 48.0))
            .collect();
        for px in view.to_pixels(&line, false) {
            c.line(&px, style)?;
        }
        lon += step;
    }
    let mut lat = (la / step).ceil() * step;
    while lat <= lb {
        let line: Vec<(f64, f64)> = (0..=96)
            .map(|i| (r0 + (r1 - r0) * i as f64 / 96.0, lat))
            .collect();
        for px in view.to_pixels(&line, false) {
            c.line(&px, style)?;
        }
        lat += step;
    }
    Ok(())
}

fn degrees(v: f64, pos: char, neg: char, step: f64) -> String {
    let hemi = if v > 0.0 {
        pos.to_string()
    } else if v < 0.0 {
        neg.to_string()
    } else {
        String::new()
    };
    if step < 1.0 {
        format!("{:.1}°{hemi}", v.abs())
    } else {
        format!("{}°{hemi}", v.abs().round())
    }
}

/// Degree labels: longitudes along the bottom (the equator on world maps),
/// latitudes along the left edge (of the outline on world maps).
fn graticule_labels(view: &View) -> Vec<(String, f64, f64)> {
    let step = graticule_step(view.lon_span().min(360.0));
    let (la, lb) = lat_range(view);
    let mut out = Vec::new();
    let (r0, r1) = (view.rel_lon.0.max(-180.0), view.rel_lon.1.min(180.0));
    let mut lon = ((view.lon0 + r0) / step).ceil() * step;
    while lon <= view.lon0 + r1 + 1e-9 {
        let rel = lon - view.lon0;
        let text = degrees(project::wrap180(lon + 1e-9).round_to(step), 'E', 'W', step);
        let (x, y) = if view.world {
            let (x, y) = view.px_rel(rel, 0.0);
            (x + 3.0, y + 3.0)
        } else {
            (view.px_rel(rel, la).0 + 3.0, view.height - 20.0)
        };
        if x > 0.0 && x < view.width - 10.0 {
            out.push((text, x, y));
        }
        lon += step;
    }
    let mut lat = (la / step).ceil() * step;
    while lat <= lb {
        if lat.abs() < 89.0 {
            let text = degrees(lat, 'N', 'S', step);
            let (x, y) = if view.world {
                let (x, y) = view.px_rel(-180.0, lat);
                (x - 38.0, y - 8.0)
            } else {
                (4.0, view.px_rel(0.0, lat).1 - 18.0)
            };
            if y > 0.0 && y < view.height {
                out.push((text, x.max(2.0), y));
            }
        }
        lat += step;
    }
    out
}

trait RoundTo {
    fn round_to(self, step: f64) -> f64;
}

impl RoundTo for f64 {
    fn round_to(self, step: f64) -> f64 {
        (self / step).round() * step
    }
}

/// One legend row.
enum LegendItem {
    Event(EventType),
    Place,
    Route(RGBColor),
    Area(RGBColor),
}

/// Title block, legend, scale bar, north arrow and attribution: where they go.
struct Furniture {
    title: Bounds,
    /// "Not in view: …" under the subtitle, or empty.
    caption: String,
    legend: Option<Bounds>,
    legend_items: Vec<(LegendItem, String)>,
    scale: Option<(Bounds, f64, f64)>,
    north: Option<(Bounds, f64)>,
    attribution: Bounds,
    attribution_text: String,
}

const TITLE_SIZE: u32 = 30;
const SUBTITLE_SIZE: u32 = 18;
const LEGEND_SIZE: u32 = 16;
const ATTR_SIZE: u32 = 13;
const CAPTION_SIZE: u32 = 15;

/// The caption naming places out of view, as many as fit in about `chars`
/// characters, then how many more.
fn caption_text(outside: &[String], chars: usize) -> String {
    if outside.is_empty() {
        return String::new();
    }
    let mut text = String::from("Not in view: ");
    for (k, name) in outside.iter().enumerate() {
        if k > 0 && text.len() + name.len() + 16 > chars {
            text.push_str(&format!(" and {} more", outside.len() - k));
            return text;
        }
        if k > 0 {
            text.push_str(", ");
        }
        text.push_str(name);
    }
    text
}

fn layout_furniture<DB: DrawingBackend>(c: &Canvas<DB>, spec: &MapSpec, plan: &Plan) -> Furniture {
    let (w, h) = (spec.width as i32, spec.height as i32);
    let (tw, th) = c.text_size(&spec.title, TITLE_SIZE);
    let (sw, sh) = if spec.subtitle.is_empty() {
        (0, 0)
    } else {
        c.text_size(&spec.subtitle, SUBTITLE_SIZE)
    };
    let caption = caption_text(&plan.outside, w as usize / 2 / 7);
    let (cw, ch) = if caption.is_empty() {
        (0, 0)
    } else {
        c.text_size(&caption, CAPTION_SIZE)
    };
    let title = Bounds::new(
        12,
        12,
        12 + tw.max(sw).max(cw) + 32,
        12 + 16 + th + if sh > 0 { sh + 10 } else { 0 } + if ch > 0 { ch + 8 } else { 0 } + 10,
    );

    let mut items: Vec<(LegendItem, String)> = Vec::new();
    let mut types: Vec<EventType> = spec
        .places
        .iter()
        .enumerate()
        .filter(|(i, _)| plan.place_px[*i].is_some())
        .flat_map(|(_, p)| p.events.iter().map(|e| e.0))
        .collect();
    types.sort();
    types.dedup();
    for t in types {
        items.push((LegendItem::Event(t), t.label().to_string()));
    }
    if spec.places.iter().any(|p| p.events.is_empty()) {
        items.push((LegendItem::Place, "Place".into()));
    }
    // One legend row per event type drawn as a route or an area ("Route (patrol)").
    let mut typed =
        |types: Vec<Option<EventType>>, word: &str, item: fn(RGBColor) -> LegendItem| {
            let mut types = types;
            types.sort();
            types.dedup();
            for t in types {
                let label = match t {
                    Some(t) => format!("{word} ({})", t.label().to_lowercase()),
                    None => word.to_string(),
                };
                items.push((item(t.map(event_colour).unwrap_or(ROUTE_DEFAULT)), label));
            }
        };
    typed(
        spec.routes.iter().map(|r| r.event_type).collect(),
        "Route",
        LegendItem::Route,
    );
    typed(
        spec.polygons.iter().map(|r| r.event_type).collect(),
        "Area",
        LegendItem::Area,
    );
    let sized = spec.places.iter().any(|p| place_total(p) > 1);
    if plan.clustered > 0 {
        items.push((
            LegendItem::Place,
            format!("Size: events of the places within {CLUSTER_PX} px"),
        ));
    } else if sized {
        items.push((LegendItem::Place, "Size: number of events".into()));
    }
    let attribution_text = format!("{ATTRIBUTION} Projection: {}.", plan.view.proj.name());
    let (aw, ah) = c.text_size(&attribution_text, ATTR_SIZE);
    let attribution = Bounds::new(w - aw - 16, h - ah - 10, w, h);

    let row = 26;
    let legend = if items.is_empty() {
        None
    } else {
        let widest = items
            .iter()
            .map(|(_, t)| c.text_size(t, LEGEND_SIZE).0)
            .max()
            .unwrap_or(0);
        let lh = 44 + row * items.len() as i32;
        let lw = (widest + 62).max(160);
        Some(Bounds::new(12, h - 40 - lh, 12 + lw, h - 40))
    };

    let view = &plan.view;
    let scale = if view.world {
        None
    } else {
        let kpp = view.km_per_px();
        let max_km = kpp * 200.0;
        let mag = 10f64.powf(max_km.log10().floor());
        let nice = [5.0, 2.0, 1.0]
            .into_iter()
            .map(|m| m * mag)
            .find(|v| *v <= max_km)
            .unwrap_or(mag);
        let len_px = nice / kpp;
        let x1 = w - 64;
        let x0 = x1 - len_px.round() as i32;
        let y1 = attribution.y0 - 10;
        Some((Bounds::new(x0 - 8, y1 - 44, x1 + 40, y1), nice, len_px))
    };
    let tilt = view.north_tilt();
    let north = (tilt.abs() > 3.0).then(|| (Bounds::new(w - 70, 14, w - 14, 90), tilt));
    Furniture {
        title,
        caption,
        legend,
        legend_items: items,
        scale,
        north,
        attribution,
        attribution_text,
    }
}

impl Furniture {
    fn boxes(&self) -> Vec<Bounds> {
        let mut v = vec![self.title, self.attribution];
        v.extend(self.legend);
        v.extend(self.scale.map(|s| s.0));
        v.extend(self.north.map(|n| n.0));
        v
    }

    fn draw<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        spec: &MapSpec,
        view: &View,
    ) -> Result<(), RenderError> {
        let panel = |b: Bounds| -> Result<(), RenderError> {
            c.rect(b, WHITE.mix(0.9).filled())?;
            c.rect(b, BORDER.stroke_width(1))
        };
        panel(self.title)?;
        c.text(
            &spec.title,
            TITLE_SIZE,
            INK,
            (self.title.x0 + 16, self.title.y0 + 12),
        )?;
        let th = c.text_size(&spec.title, TITLE_SIZE).1;
        let mut y = self.title.y0 + 12 + th + 10;
        if !spec.subtitle.is_empty() {
            c.text(
                &spec.subtitle,
                SUBTITLE_SIZE,
                RGBColor(70, 70, 70),
                (self.title.x0 + 16, y),
            )?;
            y += c.text_size(&spec.subtitle, SUBTITLE_SIZE).1 + 8;
        }
        if !self.caption.is_empty() {
            c.text(
                &self.caption,
                CAPTION_SIZE,
                RGBColor(90, 90, 90),
                (self.title.x0 + 16, y),
            )?;
        }
        if let Some(b) = self.legend {
            panel(b)?;
            c.text("Legend", 19, INK, (b.x0 + 12, b.y0 + 10))?;
            for (k, (item, label)) in self.legend_items.iter().enumerate() {
                let cy = (b.y0 + 54 + 26 * k as i32) as f64;
                let cx = (b.x0 + 24) as f64;
                match item {
                    LegendItem::Event(t) => {
                        c.marker(event_shape(*t), cx, cy, 7.0, event_colour(*t))?
                    }
                    LegendItem::Place if label.starts_with("Size") => {
                        c.marker(Shape::Circle, cx - 6.0, cy + 2.0, 4.0, PLACE_ONLY)?;
                        c.root
                            .draw(&Circle::new(
                                (cx as i32 + 6, cy as i32 - 1),
                                8,
                                PLACE_ONLY.stroke_width(1),
                            ))
                            .map_err(draw_err)?;
                    }
                    LegendItem::Place => c.marker(Shape::Circle, cx, cy, 4.0, PLACE_ONLY)?,
                    LegendItem::Route(col) => {
                        c.line(
                            &[(cx - 14.0, cy + 4.0), (cx + 6.0, cy - 2.0)],
                            col.stroke_width(4),
                        )?;
                        c.fill(
                            &[
                                (cx + 14.0, cy - 5.0),
                                (cx + 2.0, cy - 8.0),
                                (cx + 6.0, cy + 3.0),
                            ],
                            col.filled(),
                        )?;
                    }
                    LegendItem::Area(col) => {
                        let r = Bounds::new(
                            cx as i32 - 12,
                            cy as i32 - 8,
                            cx as i32 + 12,
                            cy as i32 + 8,
                        );
                        c.rect(r, col.mix(0.28).filled())?;
                        c.rect(r, col.stroke_width(2))?;
                    }
                }
                c.text(label, LEGEND_SIZE, INK, (b.x0 + 48, cy as i32 - 10))?;
            }
        }
        if let Some((b, km, len)) = self.scale {
            panel(b)?;
            let (x1, y) = (b.x1 - 40, b.y1 - 14);
            let x0 = x1 - len.round() as i32;
            let mid = (x0 + x1) / 2;
            c.rect(Bounds::new(x0, y - 6, mid, y), INK.filled())?;
            c.rect(Bounds::new(mid, y - 6, x1, y), WHITE.filled())?;
            c.rect(Bounds::new(x0, y - 6, x1, y), INK.stroke_width(1))?;
            let text = if km >= 1.0 {
                format!("{km} km")
            } else {
                format!("{} m", km * 1000.0)
            };
            c.text("0", 13, INK, (x0 - 3, y - 24))?;
            c.text(&text, 13, INK, (x1 - 8, y - 24))?;
            if view.proj == Projection::WebMercator {
                let lat = view.centre().lat;
                let note = format!("at {}", degrees(lat.round(), 'N', 'S', 1.0));
                c.text(&note, 12, RGBColor(90, 90, 90), (x0, y - 40))?;
            }
        }
        if let Some((b, tilt)) = self.north {
            panel(b)?;
            let (cx, cy) = (((b.x0 + b.x1) / 2) as f64, ((b.y0 + b.y1) / 2 + 6) as f64);
            let (s, co) = (tilt.to_radians().sin(), tilt.to_radians().cos());
            let tip = (cx + s * 24.0, cy - co * 24.0);
            let l = (cx - co * 8.0 - s * 10.0, cy - s * 8.0 + co * 10.0);
            let r = (cx + co * 8.0 - s * 10.0, cy + s * 8.0 + co * 10.0);
            c.fill(&[tip, l, (cx, cy), r], INK.filled())?;
            c.text("N", 14, INK, (b.x0 + 4, b.y0 + 2))?;
        }
        c.rect(self.attribution, WHITE.mix(0.85).filled())?;
        // Anchored right, so a wider fallback font in an SVG viewer grows into the map, not off it.
        let style =
            (FONT, ATTR_SIZE)
                .into_font()
                .color(&INK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Right,
                    plotters::style::text_anchor::VPos::Top,
                ));
        c.root
            .draw_text(
                &self.attribution_text,
                &style,
                (self.attribution.x1 - 8, self.attribution.y0 + 5),
            )
            .map_err(draw_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with(places: Vec<MapPlace>) -> MapSpec {
        MapSpec {
            places,
            ..MapSpec::new("t")
        }
    }

    fn assert_disjoint(labels: &[PlacedLabel]) {
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(
                    !a.bounds.intersects(&b.bounds),
                    "{} {:?} overlaps {} {:?}",
                    a.text,
                    a.bounds,
                    b.text,
                    b.bounds
                );
            }
        }
    }

    #[test]
    fn renders_a_png_with_non_overlapping_labels() {
        let places = (0..30)
            .map(|i| MapPlace {
                pos: LonLat::new(139.0 + (i % 6) as f64 * 0.3, 40.0 + (i / 6) as f64 * 0.3),
                name: format!("Place number {i}"),
                water: i % 2 == 0,
                events: vec![(EventType::Patrol, 1 + i % 3)],
                area: None,
            })
            .collect();
        let mut spec = spec_with(places);
        spec.width = 800;
        spec.height = 600;
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
    fn dense_points_in_both_formats_never_overlap_and_drop_by_priority() {
        let places: Vec<MapPlace> = (0..400)
            .map(|i| MapPlace {
                pos: LonLat::new(
                    -10.0 + (i * 37 % 200) as f64 * 0.1,
                    40.0 + (i * 53 % 150) as f64 * 0.1,
                ),
                name: format!("Town {i}"),
                water: false,
                events: vec![(
                    EventType::ALL[i % EventType::ALL.len()],
                    1 + (i % 7 == 0) as usize * 5,
                )],
                area: None,
            })
            .collect();
        let spec = spec_with(places);
        let png = render(&spec, Format::Png).unwrap();
        let svg = render(&spec, Format::Svg).unwrap();
        assert_disjoint(&png.labels);
        assert!(!png.dropped.is_empty());
        // Same layout in both formats.
        let a: Vec<_> = png
            .labels
            .iter()
            .map(|l| (l.text.clone(), l.bounds))
            .collect();
        let b: Vec<_> = svg
            .labels
            .iter()
            .map(|l| (l.text.clone(), l.bounds))
            .collect();
        assert_eq!(a, b);
        assert!(String::from_utf8(svg.bytes).unwrap().starts_with("<svg"));
        // Places with more events keep their labels first.
        assert!(png.labels.iter().any(|l| l.text == "Town 0"));
    }

    #[test]
    fn world_extent_chooses_equal_earth() {
        let p = |lon, lat| MapPlace {
            pos: LonLat::new(lon, lat),
            name: "x".into(),
            water: false,
            events: vec![],
            area: None,
        };
        let spec = spec_with(vec![p(-100.0, 40.0), p(120.0, 30.0), p(20.0, -30.0)]);
        assert_eq!(Plan::new(&spec).view.proj, Projection::EqualEarth);
        let spec = spec_with(vec![p(139.0, 40.0), p(141.0, 42.0)]);
        assert_eq!(Plan::new(&spec).view.proj, Projection::WebMercator);
    }

    #[test]
    fn output_is_deterministic() {
        let spec = spec_with(vec![MapPlace {
            pos: LonLat::new(140.5, 41.5),
            name: "Tsugaru Strait".into(),
            water: true,
            events: vec![(EventType::Transit, 2)],
            area: None,
        }]);
        let a = render(&spec, Format::Png).unwrap().bytes;
        let b = render(&spec, Format::Png).unwrap().bytes;
        assert_eq!(a, b);
        let a = render(&spec, Format::Svg).unwrap().bytes;
        let b = render(&spec, Format::Svg).unwrap().bytes;
        assert_eq!(a, b);
    }
}
