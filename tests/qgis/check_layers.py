"""Loads geoevents layers in QGIS (PyQGIS, headless) and checks each one.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_layers.py DIR

For every layer file in DIR (.geojson, .geojsonl, .csv, .kml, and each layer of
each .gpkg): the layer is valid, has features, no invalid geometry, its default
style loaded (a .qml beside the file, or the GeoPackage's layer_styles; KML has
none), and it renders to a non-blank image. Then geoevents.qgs, when present,
opens with every layer valid. Prints one line per check and exits 1 on any failure.
"""

import glob
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

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
    if failures:
        print(f"{len(failures)} failures")
    else:
        print("all layers ok")
    sys.stdout.flush()
    # Leave without tearing QGIS down: its exit can crash after a project was read.
    os._exit(1 if failures else 0)


main()
