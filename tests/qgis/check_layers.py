"""Loads geoevents layers in QGIS (PyQGIS, headless) and checks each one.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_layers.py DIR

For every layer file in DIR (.geojson, .geojsonl, .csv, .kml, and each layer of
each .gpkg): the layer is valid, has features, no invalid geometry, its default
style loaded (a .qml beside the file, or the GeoPackage's layer_styles; KML has
none), and it renders to a non-blank image. Then geoevents.qgs, when present,
opens with a valid project CRS and every layer valid; the events layer is set up
for the Temporal Controller (from `date_start` to `date_end` when the layer has
them, else at `date`); the view it opens at (the map canvas and the default view
extent) covers every event and is not the whole world when the events are not
spread over it; events are drawn with more than one symbol when there are
several event types. Prints one line per check and exits 1 on any failure.
"""

import glob
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsDateTimeRange,
    QgsFeatureRequest,
    QgsVectorLayerTemporalContext,
    QgsVectorLayerTemporalProperties,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, Qt, QTime
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtXml import QDomDocument

EXPECTED_RENDERER = {
    "events": "categorizedSymbol",
    "routes": "categorizedSymbol",
    "places": "graduatedSymbol",
    "basemap_land": "singleSymbol",
    "basemap_borders": "singleSymbol",
}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def non_blank(layer):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(400, 300))
    settings.setDestinationCrs(layer.crs())
    e = QgsRectangle(layer.extent())
    if e.width() < 1 or e.height() < 1:
        e.grow(2.0)
    else:
        e.scale(1.1)
    settings.setExtent(e)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            if img.pixelColor(x, y).rgb() != QColor(255, 255, 255).rgb():
                return True
    return False


def all_drawn(layers):
    """Renders the project's layers (first on top) at the data's extent; True when
    the data layers leave marks the basemap alone does not."""
    data = [l for l in layers if not l.name().startswith("basemap")]
    if not data:
        return True
    extent = QgsRectangle(data[0].extent())
    for l in data[1:]:
        extent.combineExtentWith(l.extent())
    extent.grow(2.0)

    def render(ls):
        s = QgsMapSettings()
        s.setLayers(ls)
        s.setBackgroundColor(QColor(255, 255, 255))
        s.setOutputSize(QSize(500, 350))
        s.setDestinationCrs(ls[0].crs())
        s.setExtent(extent)
        job = QgsMapRendererSequentialJob(s)
        job.start()
        job.waitForFinished()
        return job.renderedImage()

    with_data = render(layers)
    base = render([l for l in layers if l.name().startswith("basemap")] or layers)
    return with_data != base


def covers(outer, inner):
    """True when rectangle `outer` holds `inner` (to a millionth of a degree)."""
    eps = 1e-6
    return (
        outer.xMinimum() <= inner.xMinimum() + eps
        and outer.yMinimum() <= inner.yMinimum() + eps
        and outer.xMaximum() >= inner.xMaximum() - eps
        and outer.yMaximum() >= inner.yMaximum() - eps
    )


def canvas_extent(path):
    """The extent the project's main map canvas opens at, read as QGIS reads it."""
    doc = QDomDocument()
    with open(path, "rb") as f:
        if not doc.setContent(f.read()):
            return None
    nodes = doc.elementsByTagName("mapcanvas")
    for i in range(nodes.count()):
        node = nodes.item(i)
        if node.toElement().attribute("name") == "theMapCanvas":
            s = QgsMapSettings()
            s.readXml(node)
            return s.extent()
    return None


# Places whose point says little about where to look (as geoevents' qgs.rs VAST_KINDS).
VAST_KINDS = ("A.PCLI", "H.OCN", "L.CONT", "L.RGN")


def check_project_view(project, path):
    """The view the project opens at covers the events (those at a country, an
    ocean or a wide region aside, when there are others) and is not the whole
    world when they are not spread over it."""
    events = [l for l in project.mapLayers().values() if l.name() == "events"]
    if not events or events[0].featureCount() == 0:
        return
    layer = events[0]
    kinds = "place_kind" in layer.fields().names()
    feats = list(layer.getFeatures())
    precise = [f for f in feats if not (kinds and f["place_kind"] in VAST_KINDS)] or feats
    ev = QgsRectangle(precise[0].geometry().boundingBox())
    for f in precise[1:]:
        ev.combineExtentWith(f.geometry().boundingBox())
    world = ev.width() > 180
    left = len(feats) - len(precise)
    for label, extent in (
        ("default view extent", project.viewSettings().defaultViewExtent()),
        ("map canvas extent", canvas_extent(path)),
    ):
        if extent is None or extent.isEmpty():
            fail(f"geoevents.qgs: no {label}")
        elif not covers(extent, ev):
            fail(f"geoevents.qgs: the {label} {extent.toString(2)} does not cover the events {ev.toString(2)}")
        elif not world and extent.width() >= 359:
            fail(f"geoevents.qgs: the {label} is the whole world, the events are in {ev.toString(2)}")
        else:
            print(
                f"ok geoevents.qgs: {label} {extent.toString(2)} covers the events {ev.toString(2)}"
                f" ({left} at countries, oceans or regions aside)"
            )


def check_temporal(layer):
    t = layer.temporalProperties()
    names = layer.fields().names()
    if not t.isActive():
        fail("geoevents.qgs: the events layer's temporal properties are not enabled")
        return
    if "date_start" in names and "date_end" in names:
        want = QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromFields
        ok = t.mode() == want and t.startField() == "date_start" and t.endField() == "date_end"
    else:
        want = QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField
        ok = t.mode() == want and t.startField() == "date"
    if not ok:
        fail(f"geoevents.qgs: events temporal mode {t.mode()} from {t.startField()!r} to {t.endField()!r}")
        return
    # The Temporal Controller shows each dated event on the first and last day
    # it spans and hides it a year before: the filter QGIS builds for a frame.
    ctx = QgsVectorLayerTemporalContext()
    ctx.setLayer(layer)
    start, end = t.startField(), t.endField() or t.startField()

    def day(d):
        return QgsDateTimeRange(
            QDateTime(d, QTime(0, 0), Qt.UTC), QDateTime(d.addDays(1), QTime(0, 0), Qt.UTC)
        )

    cache = {}

    def shown(feature, frame):
        # Through the provider, as the map renderer asks for a frame's features.
        key = frame.begin().toString(Qt.ISODate)
        if key not in cache:
            req = QgsFeatureRequest().setFilterExpression(t.createFilterString(ctx, frame))
            cache[key] = {f.id() for f in layer.getFeatures(req)}
        return feature.id() in cache[key]

    dated, wrong = 0, []
    for f in layer.getFeatures():
        a, b = f[start], f[end]
        if not isinstance(a, QDate) or not a.isValid():
            continue
        dated += 1
        b = b if isinstance(b, QDate) and b.isValid() else a
        if b < a:
            wrong.append(f"{f['event_id']}: ends {b.toString(Qt.ISODate)} before {a.toString(Qt.ISODate)}")
        elif not (shown(f, day(a)) and shown(f, day(b))):
            wrong.append(f"{f['event_id']}: hidden on {a.toString(Qt.ISODate)} or {b.toString(Qt.ISODate)}")
        elif shown(f, day(a.addYears(-1))):
            wrong.append(f"{f['event_id']}: shown a year before {a.toString(Qt.ISODate)}")
    if wrong:
        fail(f"geoevents.qgs: temporal filter: {'; '.join(wrong[:5])}")
        return
    # The Temporal Controller's range holds every dated event.
    if dated:
        firsts = [f[start] for f in layer.getFeatures() if isinstance(f[start], QDate) and f[start].isValid()]
        lasts = [f[end] for f in layer.getFeatures() if isinstance(f[end], QDate) and f[end].isValid()]
        r = QgsProject.instance().timeSettings().temporalRange()
        lo, hi = min(firsts), max(lasts)
        if not (r.begin().isValid() and r.begin().date() <= lo and r.end().date() > hi):
            fail(
                f"geoevents.qgs: the project's time range {r.begin().toString(Qt.ISODate)} to "
                f"{r.end().toString(Qt.ISODate)} does not hold {lo.toString(Qt.ISODate)} to {hi.toString(Qt.ISODate)}"
            )
            return
    print(f"ok geoevents.qgs: events temporal from {start!r} to {end!r}, {dated} dated events shown on their days")


def check_event_symbols(layer):
    """Categories cover the event types found, with distinct symbols for distinct types."""
    r = layer.renderer()
    if r is None or r.type() != "categorizedSymbol":
        return
    cats = {c.value(): c for c in r.categories()}
    found = set(f["event_type"] for f in layer.getFeatures())
    missing = sorted(v for v in found if v not in cats)
    if missing:
        fail(f"geoevents.qgs: event types without a category: {missing}")
    looks = set()
    for c in r.categories():
        sl = c.symbol().symbolLayer(0)
        looks.add((sl.shape(), round(sl.angle())))
    if len(r.categories()) > 1 and len(looks) < 2:
        fail("geoevents.qgs: every event type is drawn with the same marker shape")
    else:
        print(f"ok geoevents.qgs: {len(r.categories())} event categories, {len(looks)} marker shapes")


def check_layer(uri, label, name, expect_style):
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        fail(f"{label}: not valid")
        return
    n = layer.featureCount()
    invalid = 0
    for f in layer.getFeatures():
        g = f.geometry()
        if g.isNull() or not g.isGeosValid():
            invalid += 1
    renderer = layer.renderer().type() if layer.renderer() else None
    ok = n > 0 and invalid == 0
    if n == 0:
        fail(f"{label}: no features")
    if invalid:
        fail(f"{label}: {invalid} invalid geometries")
    if not layer.crs().authid() == "EPSG:4326":
        fail(f"{label}: CRS is {layer.crs().authid()}")
    if expect_style:
        want = EXPECTED_RENDERER.get(name)
        if want and renderer != want:
            fail(f"{label}: default style not loaded (renderer {renderer}, want {want})")
            ok = False
        if name in ("events", "places", "routes") and not layer.labelsEnabled():
            fail(f"{label}: labels are off")
            ok = False
    if not non_blank(layer):
        fail(f"{label}: renders blank")
        ok = False
    print(f"{'ok' if ok else 'FAIL'} {label}: {n} features, renderer {renderer}")


def main():
    out = sys.argv[1]
    app = QgsApplication([], False)
    app.initQgis()
    for path in sorted(glob.glob(os.path.join(out, "*"))):
        base = os.path.basename(path)
        stem, ext = os.path.splitext(base)
        if ext in (".geojson", ".geojsonl", ".csv"):
            check_layer(path, base, stem, True)
        elif ext == ".kml":
            probe = QgsVectorLayer(path, "probe", "ogr")
            for sub in probe.dataProvider().subLayers():
                lname = sub.split("!!::!!")[1]
                check_layer(f"{path}|layername={lname}", f"{base}:{lname}", lname, False)
        elif ext == ".gpkg":
            probe = QgsVectorLayer(path, "probe", "ogr")
            for sub in probe.dataProvider().subLayers():
                parts = sub.split("!!::!!")
                lname = parts[1]
                if lname == "layer_styles":
                    continue
                check_layer(f"{path}|layername={lname}", f"{base}:{lname}", lname, True)
    qgs = os.path.join(out, "geoevents.qgs")
    if os.path.exists(qgs):
        project = QgsProject.instance()
        if not project.read(qgs):
            fail(f"geoevents.qgs: cannot be read: {project.error()}")
        if not project.crs().isValid():
            fail("geoevents.qgs: the project CRS is not valid")
        else:
            print(f"ok geoevents.qgs: project CRS {project.crs().authid()}")
        layers = project.mapLayers().values()
        if not layers:
            fail("geoevents.qgs: no layers")
        for node in project.layerTreeRoot().findLayers():
            if node.layer() is None:
                fail(f"geoevents.qgs: the layer tree's {node.name()} has no layer")
            elif not node.isVisible():
                fail(f"geoevents.qgs: {node.name()} is hidden")
        shown = [n.layer() for n in project.layerTreeRoot().findLayers() if n.layer()]
        if shown and not all_drawn(shown):
            fail("geoevents.qgs: the project renders blank")
        for layer in layers:
            want = EXPECTED_RENDERER.get(layer.name())
            r = layer.renderer().type() if layer.renderer() else None
            if not layer.isValid():
                fail(f"geoevents.qgs: layer {layer.name()} is not valid ({layer.source()})")
            elif want and r != want:
                fail(f"geoevents.qgs: layer {layer.name()} has renderer {r}, want {want}")
            else:
                print(f"ok geoevents.qgs:{layer.name()}: {layer.featureCount()} features, renderer {r}")
            if layer.name() == "events" and layer.isValid():
                check_temporal(layer)
                check_event_symbols(layer)
        check_project_view(project, qgs)
    if failures:
        print(f"{len(failures)} failures")
    else:
        print("all layers ok")
    sys.stdout.flush()
    # Leave without tearing QGIS down: its exit can crash after a project was read.
    os._exit(1 if failures else 0)


main()
