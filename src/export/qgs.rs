//! A QGIS project (`geoevents.qgs`) that opens the GeoJSON layers beside it by
//! relative path, each with its style, over a basemap of land and borders that
//! `map` writes from the Natural Earth data built into the binary.

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

/// The basemap as two layers: `basemap_land` (polygons) and `basemap_borders` (lines).
pub fn basemap_layers() -> (Layer, Layer) {
    // 1:110m keeps the written layers small and quick to validate; QGIS users add detail as they like.
    let b = Basemap::load(Detail::Coarse);
    let (gt, fields) = Layer::schema("basemap_land").expect("known layer");
    let ring = |r: &Vec<crate::coords::LonLat>| -> LineString<f64> {
        r.iter().map(|p| (p.lon, p.lat)).collect()
    };
    let land = Layer {
        name: "basemap_land".into(),
        geometry_type: gt,
        fields,
        features: b
            .land
            .iter()
            .filter(|rings| !rings.is_empty())
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
            .filter(|l| l.len() >= 2)
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

/// The map's starting view: the data layers' extent with a margin, or the world.
fn view(layers: &[ProjectLayer]) -> [f64; 4] {
    let mut e: Option<[f64; 4]> = None;
    for pl in layers
        .iter()
        .filter(|p| !p.layer.name.starts_with("basemap"))
    {
        if let Some(x) = pl.layer.extent() {
            let v = e.get_or_insert(x);
            v[0] = v[0].min(x[0]);
            v[1] = v[1].min(x[1]);
            v[2] = v[2].max(x[2]);
            v[3] = v[3].max(x[3]);
        }
    }
    match e {
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
        ));
    }
    let v = view(layers);
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis projectname=\"{t}\" version=\"3.22.0\">\n\
         <homePath path=\"\"/><title>{t}</title>\n\
         <projectCrs>{srs}</projectCrs>\n\
         <layer-tree-group><customproperties/>{tree}<custom-order enabled=\"0\">{order}</custom-order></layer-tree-group>\n\
         <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\"><units>degrees</units><extent>{ext}</extent><rotation>0</rotation><destinationsrs>{srs}</destinationsrs><rendermaptile>0</rendermaptile></mapcanvas>\n\
         <projectlayers>{maplayers}</projectlayers>\n\
         <layerorder>{order}</layerorder>\n\
         <properties><Paths><Absolute type=\"bool\">false</Absolute></Paths>\
         <Gui><CanvasColorRedPart type=\"int\">214</CanvasColorRedPart><CanvasColorGreenPart type=\"int\">232</CanvasColorGreenPart><CanvasColorBluePart type=\"int\">245</CanvasColorBluePart></Gui>\
         <Measurement><DistanceUnits type=\"QString\">km</DistanceUnits></Measurement></properties>\n\
         </qgis>\n",
        t = xml_escape(title),
        ext = extent_xml(v),
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
    }
}
