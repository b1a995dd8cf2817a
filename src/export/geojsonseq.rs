//! GeoJSON Text Sequences (RFC 8142, `.geojsonl`): one Feature per record, each
//! record an ASCII record separator (0x1E), the Feature's JSON text and a line
//! feed. Written feature by feature, so a stream or a big batch is never held in
//! memory; the layer takes its name from the file name.

use std::io::{BufRead, Write};

use super::geojson::{layer_from_features, FeatureSer};
use super::layer::{Layer, LayerFeature};
use super::ExportError;

/// The record separator that starts each RFC 8142 record.
pub const RS: u8 = 0x1e;

/// Writes features one at a time to `W`.
pub struct SeqWriter<'l, W: Write> {
    layer: &'l Layer,
    w: W,
}

impl<'l, W: Write> SeqWriter<'l, W> {
    /// A writer for features of `layer`'s schema (its own features are not written).
    pub fn new(layer: &'l Layer, w: W) -> Self {
        SeqWriter { layer, w }
    }

    /// Writes one record.
    pub fn write(&mut self, f: &LayerFeature) -> std::io::Result<()> {
        self.w.write_all(&[RS])?;
        serde_json::to_writer(
            &mut self.w,
            &FeatureSer {
                layer: self.layer,
                feature: f,
            },
        )?;
        self.w.write_all(b"\n")
    }

    /// Flushes and returns the inner writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes all of a layer's features as a text sequence.
pub fn write_layer<W: Write>(layer: &Layer, w: W) -> std::io::Result<()> {
    let mut s = SeqWriter::new(layer, w);
    for f in &layer.features {
        s.write(f)?;
    }
    s.finish().map(|_| ())
}

/// Reads a text sequence (records with or without the leading separator, one
/// per line) into a layer called `name`.
pub fn read_layer<R: BufRead>(r: R, name: &str) -> Result<Layer, ExportError> {
    let bad = |message: String| ExportError::Read {
        what: name.to_string(),
        message,
    };
    let mut features = Vec::new();
    for (i, line) in r.split(b'\n').enumerate() {
        let line = line.map_err(|e| bad(e.to_string()))?;
        let text = line.strip_prefix(&[RS]).unwrap_or(&line);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_slice(text).map_err(|e| bad(format!("record {}: {e}", i + 1)))?;
        features.push(v);
    }
    layer_from_features(name, &features).map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_start_with_rs_and_read_back() {
        let layer = crate::export::layer::tricky_layer();
        let mut buf = Vec::new();
        write_layer(&layer, &mut buf).unwrap();
        assert_eq!(buf[0], RS);
        assert_eq!(buf.iter().filter(|b| **b == b'\n').count(), 1);
        let back = read_layer(&buf[..], "routes").unwrap();
        assert_eq!(back, layer);
    }
}
