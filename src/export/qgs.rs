//! A QGIS project (`geoevents.qgs`) that opens the GeoJSON layers beside it by
//! relative path, each with its style, over a basemap of land and borders that
//! `map` writes from the Natural Earth data built into the binary.

use chrono::NaiveDate;
use geo::{HasDimensions, LineString, Polygon};

use super::layer::{GeometryType, Layer, LayerFeature, Value};
use super::qml::{style_elements, xml_escape};
use super::WGS84_WKT;
use crate::render::basemap::{Basemap, Detail};

/// One layer of the project: a layer and the file (beside the project) that holds it.
pub struct ProjectLayer<'a> {
    pub layer: &'a Layer,
    /// The file name relative to the project, e.g. `events.geojson`.
    pub file: String,
}

/// The basemap as two layers, `basemap_land` (polygons) and `basemap_borders`
/// (lines), for the whole world at 1:110m.
pub fn basemap_layers() -> (Layer, Layer) {
    basemap_at(Detail::Coarse, None)
}

/// The basemap for a project of `layers`: at the detail the rendered map uses
/// for the view the project opens at (1:110m for the world, 1:50m regionally,
/// 1:10m for small areas); at 1:50m and 1:10m only the land and borders near
/// the view, so the written layers stay small.
pub fn basemap_layers_for(layers: &[&Layer]) -> (Layer, Layer) {
    let v = view(layers.iter().copied());
    let span = v[2] - v[0];
    let detail = detail_for(span);
    if detail == Detail::Coarse {
        return basemap_at(detail, None);
    }
    let grow = span.max(20.0);
    basemap_at(
        detail,
        Some([v[0] - grow, v[1] - grow, v[2] + grow, v[3] + grow]),
    )
}

/// The basemap detail for a view `span` degrees of longitude wide, as the renderer chooses it.
///
/// # Units
/// Degrees.
fn detail_for(span: f64) -> Detail {
    if span > 70.0 {
        Detail::Coarse
    } else if span > 14.0 {
        Detail::Medium
    } else {
        Detail::Fine
    }
}

fn basemap_at(detail: Detail, near: Option<[f64; 4]>) -> (Layer, Layer) {
    let b = Basemap::get(detail);
    let ring = |r: &Vec<crate::coords::LonLat>| -> LineString<f64> {
        r.iter().map(|p| (p.lon, p.lat)).collect()
    };
    let keep = |pts: &[crate::coords::LonLat]| {
        let Some(n) = near else { return true };
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in pts {
            x0 = x0.min(p.lon);
            y0 = y0.min(p.lat);
            x1 = x1.max(p.lon);
            y1 = y1.max(p.lat);
        }
        x0 <= n[2] && n[0] <= x1 && y0 <= n[3] && n[1] <= y1
    };
    let (gt, fields) = Layer::schema("basemap_land").expect("known layer");
    let land = Layer {
        name: "basemap_land".into(),
        geometry_type: gt,
        fields,
        features: b
            .land
            .iter()
            .filter(|rings| !rings.is_empty() && keep(&rings[0]))
            .map(|rings| {
                let poly = Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect());
                LayerFeature::new(poly.into(), vec![Value::Text("land".into())])
            })
            .filter(|f| !f.geometry.is_empty())
            .collect(),
    };
    let (gt, fields) = Layer::schema("basemap_borders").expect("known layer");
    let borders = Layer {
        name: "basemap_borders".into(),
        geometry_type: gt,
        fields,
        features: b
            .borders
            .iter()
            .filter(|l| l.len() >= 2 && keep(l))
            .map(|l| LayerFeature::new(ring(l).into(), vec![Value::Text("border".into())]))
            .collect(),
    };
    (land, borders)
}

fn srs() -> String {
    format!(
        "<spatialrefsys><wkt>{}</wkt><proj4>+proj=longlat +datum=WGS84 +no_defs</proj4>\
         <srsid>3452</srsid><srid>4326</srid><authid>EPSG:4326</authid><description>WGS 84</description>\
         <projectionacronym>longlat</projectionacronym><ellipsoidacronym>EPSG:7030</ellipsoidacronym>\
         <geographicflag>true</geographicflag></spatialrefsys>",
        xml_escape(WGS84_WKT)
    )
}

fn extent_xml(e: [f64; 4]) -> String {
    format!(
        "<xmin>{}</xmin><ymin>{}</ymin><xmax>{}</xmax><ymax>{}</ymax>",
        e[0], e[1], e[2], e[3]
    )
}

fn wkb_name(l: &Layer) -> &'static str {
    match (l.geometry_type, l.has_multi()) {
        (GeometryType::Point, false) => "Point",
        (GeometryType::Point, true) => "MultiPoint",
        (GeometryType::LineString, false) => "LineString",
        (GeometryType::LineString, true) => "MultiLineString",
        (GeometryType::Polygon, false) => "Polygon",
        (GeometryType::Polygon, true) => "MultiPolygon",
    }
}

/// Kinds of place whose representative point says little about where to look:
/// countries, oceans, continents and wide regions.
pub const VAST_KINDS: [&str; 4] = ["A.PCLI", "H.OCN", "L.CONT", "L.RGN"];

/// The map's starting view: the events' extent with a margin (leaving out events
/// placed only at a country, an ocean or a wide region when there are others);
/// without events, the other data layers' extent; without data, the world.
/// `[west, south, east, north]`.
///
/// # Units
/// Degrees.
pub fn view<'a>(layers: impl Iterator<Item = &'a Layer> + Clone) -> [f64; 4] {
    let union = |names: &[&str], precise: bool| {
        let mut e: Option<[f64; 4]> = None;
        for l in layers.clone().filter(|l| names.contains(&l.name.as_str())) {
            let kind = l.fields.iter().position(|f| f.name == "place_kind");
            for f in &l.features {
                let vast = kind.is_some_and(
                    |k| matches!(&f.values[k], Value::Text(t) if VAST_KINDS.contains(&t.as_str())),
                );
                if precise && vast {
                    continue;
                }
                let Some(r) = geo::BoundingRect::bounding_rect(&f.geometry) else {
                    continue;
                };
                let v = e.get_or_insert([r.min().x, r.min().y, r.max().x, r.max().y]);
                v[0] = v[0].min(r.min().x);
                v[1] = v[1].min(r.min().y);
                v[2] = v[2].max(r.max().x);
                v[3] = v[3].max(r.max().y);
            }
        }
        e
    };
    let data = ["events", "routes", "places"];
    match union(&["events"], true)
        .or_else(|| union(&["events"], false))
        .or_else(|| union(&data, false))
    {
        Some([w, s, east, n]) => {
            let pad = ((east - w).max(n - s) * 0.15).max(2.0);
            [
                (w - pad).max(-180.0),
                (s - pad).max(-90.0),
                (east + pad).min(180.0),
                (n + pad).min(90.0),
            ]
        }
        None => [-180.0, -90.0, 180.0, 90.0],
    }
}

/// The Temporal Controller settings of the events layer: each event from
/// `date_start` to `date_end` (both included, so a month-precision date spans
/// its month) when the layer has them, else at its `date`.
fn temporal(layer: &Layer) -> String {
    let has = |n: &str| layer.fields.iter().any(|f| f.name == n);
    let (mode, start, end) = if has("date_start") && has("date_end") {
        (2, "date_start", "date_end")
    } else if has("date") {
        (1, "date", "")
    } else {
        return String::new();
    };
    format!(
        "<temporal enabled=\"1\" mode=\"{mode}\" startField=\"{start}\" endField=\"{end}\" durationField=\"\" durationUnit=\"d\" fixedDuration=\"0\" accumulate=\"0\" startExpression=\"\" endExpression=\"\" limitMode=\"1\"><fixedRange><start></start><end></end></fixedRange></temporal>"
    )
}

/// The days the events span, first and last included: each event from
/// `date_start` (or `date`) to `date_end` (or the end of the period `date`
/// starts at its `date_precision`).
fn event_days(layers: &[ProjectLayer]) -> Option<(NaiveDate, NaiveDate)> {
    let events = layers.iter().find(|p| p.layer.name == "events")?.layer;
    let at = |n: &str| events.fields.iter().position(|f| f.name == n);
    let day = |v: &Value| match v {
        Value::Date(d) => Some(*d),
        Value::Text(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    };
    let (start, end, date, precision) = (
        at("date_start"),
        at("date_end"),
        at("date"),
        at("date_precision"),
    );
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    for f in &events.features {
        let get = |i: Option<usize>| i.and_then(|i| day(&f.values[i]));
        let (a, b) = match (get(start), get(date)) {
            (Some(a), _) => (a, get(end).unwrap_or(a)),
            (None, Some(d)) => {
                let p = precision
                    .and_then(|i| f.values[i].to_text())
                    .unwrap_or_default();
                (d, super::kml::period_end(d, &p))
            }
            _ => continue,
        };
        let s = span.get_or_insert((a, b));
        s.0 = s.0.min(a);
        s.1 = s.1.max(b);
    }
    span
}

/// The Temporal Controller's range: the events' days, in steps of a day.
fn time_settings(layers: &[ProjectLayer]) -> String {
    let Some((a, b)) = event_days(layers) else {
        return String::new();
    };
    let end = b.succ_opt().unwrap_or(b);
    format!(
        "<ProjectTimeSettings cumulativeTemporalRange=\"0\" frameRate=\"1\" timeStep=\"1\" timeStepUnit=\"d\"><TemporalRange><start>{a}T00:00:00Z</start><end>{end}T00:00:00Z</end></TemporalRange></ProjectTimeSettings>\n"
    )
}

/// The project XML. `layers` go from top (drawn last) to bottom.
pub fn project(layers: &[ProjectLayer], title: &str) -> String {
    let srs = srs();
    let mut tree = String::new();
    let mut maplayers = String::new();
    let mut order = String::new();
    for pl in layers {
        // QGIS 3.22 replaces ids of the form `<name>_<n>` with new ones, which
        // detaches them from the layer tree; a fixed prefix keeps them.
        let id = format!("geoevents_{}", pl.layer.name);
        let name = xml_escape(&pl.layer.name);
        let source = xml_escape(&format!("./{}", pl.file));
        tree.push_str(&format!(
            "<layer-tree-layer id=\"{id}\" name=\"{name}\" source=\"{source}\" providerKey=\"ogr\" checked=\"Qt::Checked\" expanded=\"1\"><customproperties/></layer-tree-layer>"
        ));
        order.push_str(&format!("<layer id=\"{id}\"/>"));
        let extent = pl.layer.extent().unwrap_or([-180.0, -90.0, 180.0, 90.0]);
        let geometry = match pl.layer.geometry_type {
            GeometryType::Point => "Point",
            GeometryType::LineString => "Line",
            GeometryType::Polygon => "Polygon",
        };
        maplayers.push_str(&format!(
            "<maplayer type=\"vector\" geometry=\"{geometry}\" wkbType=\"{}\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" refreshOnNotifyEnabled=\"0\" readOnly=\"0\" hasScaleBasedVisibilityFlag=\"0\" simplifyDrawingHints=\"1\" simplifyLocal=\"1\" simplifyMaxScale=\"1\" simplifyDrawingTol=\"1\" simplifyAlgorithm=\"0\" labelsEnabled=\"{}\">\
             <extent>{}</extent><id>{id}</id><datasource>{source}</datasource><layername>{name}</layername>\
             <srs>{srs}</srs><provider encoding=\"UTF-8\">ogr</provider>{}</maplayer>",
            wkb_name(pl.layer),
            u8::from(!pl.layer.name.starts_with("basemap")),
            extent_xml(extent),
            style_elements(pl.layer).unwrap_or_default()
                + &if pl.layer.name == "events" {
                    temporal(pl.layer)
                } else {
                    String::new()
                }
        ));
    }
    let v = view(layers.iter().map(|p| p.layer));
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis projectname=\"{t}\" version=\"3.22.0\">\n\
         <homePath path=\"\"/><title>{t}</title>\n\
         <projectCrs>{srs}</projectCrs>\n\
         <layer-tree-group><customproperties/>{tree}<custom-order enabled=\"0\">{order}</custom-order></layer-tree-group>\n\
         <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\"><units>degrees</units><extent>{ext}</extent><rotation>0</rotation><destinationsrs>{srs}</destinationsrs><rendermaptile>0</rendermaptile></mapcanvas>\n\
         <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\"><Scales/><DefaultViewExtent xmin=\"{x0}\" ymin=\"{y0}\" xmax=\"{x1}\" ymax=\"{y1}\">{srs}</DefaultViewExtent></ProjectViewSettings>\n\
         {time}<projectlayers>{maplayers}</projectlayers>\n\
         <layerorder>{order}</layerorder>\n\
         <properties><Paths><Absolute type=\"bool\">false</Absolute></Paths>\
         <SpatialRefSys><ProjectionsEnabled type=\"int\">1</ProjectionsEnabled><ProjectCrs type=\"QString\">EPSG:4326</ProjectCrs>\
         <ProjectCRSID type=\"int\">3452</ProjectCRSID><ProjectCRSProj4String type=\"QString\">+proj=longlat +datum=WGS84 +no_defs</ProjectCRSProj4String></SpatialRefSys>\
         <Gui><CanvasColorRedPart type=\"int\">214</CanvasColorRedPart><CanvasColorGreenPart type=\"int\">232</CanvasColorGreenPart><CanvasColorBluePart type=\"int\">245</CanvasColorBluePart></Gui>\
         <Measurement><DistanceUnits type=\"QString\">km</DistanceUnits></Measurement></properties>\n\
         </qgis>\n",
        t = xml_escape(title),
        ext = extent_xml(v),
        time = time_settings(layers),
        x0 = v[0],
        y0 = v[1],
        x1 = v[2],
        y1 = v[3],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basemap_layers_are_valid() {
        let (land, borders) = basemap_layers();
        assert!(land.features.len() > 100);
        assert!(!borders.features.is_empty());
        land.validate().unwrap();
        borders.validate().unwrap();
    }

    #[test]
    fn project_references_layers_relatively_with_styles() {
        let (land, _) = basemap_layers();
        let (gt, fields) = Layer::schema("events").unwrap();
        let events = Layer {
            name: "events".into(),
            geometry_type: gt,
            fields,
            features: vec![],
        };
        let p = project(
            &[
                ProjectLayer {
                    layer: &events,
                    file: "events.geojson".into(),
                },
                ProjectLayer {
                    layer: &land,
                    file: "basemap_land.geojson".into(),
                },
            ],
            "T & T",
        );
        assert!(p.contains("<datasource>./events.geojson</datasource>"));
        assert!(p.contains("<datasource>./basemap_land.geojson</datasource>"));
        assert!(p.contains("categorizedSymbol"));
        assert!(p.contains("<title>T &amp; T</title>"));
        assert!(p.contains("<authid>EPSG:4326</authid>"));
        // QGIS reads the project CRS only when projections are enabled.
        assert!(p.contains("<ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>"));
        // The events layer has date_start and date_end: QGIS filters by the span.
        assert!(p.contains(
            "<temporal enabled=\"1\" mode=\"2\" startField=\"date_start\" endField=\"date_end\""
        ));
    }

    fn events_at(points: &[(f64, f64)], extra: &[&str]) -> Layer {
        let (gt, mut fields) = Layer::schema("events").unwrap();
        for name in extra {
            fields.push(super::super::layer::Field {
                name: (*name).into(),
                field_type: super::super::layer::FieldType::Date,
            });
        }
        let n = fields.len();
        Layer {
            name: "events".into(),
            geometry_type: gt,
            fields,
            features: points
                .iter()
                .map(|&(x, y)| {
                    LayerFeature::new(geo::Point::new(x, y).into(), vec![Value::Null; n])
                })
                .collect(),
        }
    }

    #[test]
    fn opens_at_the_events_with_start_and_end_dates() {
        let events = events_at(&[(139.0, 40.0), (141.5, 42.0)], &["date_start", "date_end"]);
        let (gt, fields) = Layer::schema("places").unwrap();
        let far = Layer {
            name: "places".into(),
            geometry_type: gt,
            features: vec![LayerFeature::new(
                geo::Point::new(-70.0, -30.0).into(),
                vec![Value::Null; fields.len()],
            )],
            fields,
        };
        let v = view([&events, &far].into_iter());
        assert!(v[0] <= 139.0 && v[2] >= 141.5 && v[1] <= 40.0 && v[3] >= 42.0);
        assert!(
            v[2] - v[0] < 10.0,
            "not the world, nor the far place: {v:?}"
        );
        let p = project(
            &[ProjectLayer {
                layer: &events,
                file: "events.geojson".into(),
            }],
            "t",
        );
        assert!(p.contains(
            "<temporal enabled=\"1\" mode=\"2\" startField=\"date_start\" endField=\"date_end\""
        ));
        assert!(p.contains(&format!("<DefaultViewExtent xmin=\"{}\"", v[0])));
    }

    #[test]
    fn regional_views_get_the_detailed_basemap_near_them() {
        let events = events_at(&[(139.0, 40.0), (141.5, 42.0)], &[]);
        let (land, borders) = basemap_layers_for(&[&events]);
        let (world, _) = basemap_layers();
        let coords = |l: &Layer| -> usize {
            use geo::CoordsIter;
            l.features.iter().map(|f| f.geometry.coords_count()).sum()
        };
        // 1:10m around Japan has more vertices than 1:110m for the whole world.
        assert!(
            coords(&land) > coords(&world),
            "{} vs {}",
            coords(&land),
            coords(&world)
        );
        assert!(land.features.len() < world.features.len() * 20);
        assert!(!borders.features.is_empty());
        land.validate().unwrap();
        let spread = events_at(&[(-100.0, 40.0), (120.0, 30.0)], &[]);
        assert_eq!(coords(&basemap_layers_for(&[&spread]).0), coords(&world));
    }
}
