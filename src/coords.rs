//! Coordinates and boxes on WGS 84, shared by every stage.

use geo::{Distance, Haversine, Point};
use serde::Serialize;

/// A position in WGS 84 degrees, longitude first as in GeoJSON.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

impl LonLat {
    pub fn new(lon: f64, lat: f64) -> Self {
        LonLat { lon, lat }
    }

    /// Great-circle distance to `other`.
    ///
    /// # Units
    /// Kilometres.
    pub fn distance_km(self, other: LonLat) -> f64 {
        Haversine.distance(Point::from(self), Point::from(other)) / 1000.0
    }

    /// True when both values are finite and within ±180 / ±90.
    pub fn is_valid(self) -> bool {
        self.lon.is_finite()
            && self.lat.is_finite()
            && (-180.0..=180.0).contains(&self.lon)
            && (-90.0..=90.0).contains(&self.lat)
    }
}

impl From<LonLat> for Point<f64> {
    fn from(p: LonLat) -> Self {
        Point::new(p.lon, p.lat)
    }
}

/// A bounding box in degrees; `west > east` means it crosses the antimeridian.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    /// True when the box spans the antimeridian (180°).
    pub fn crosses_antimeridian(&self) -> bool {
        self.west > self.east
    }

    /// Whether `p` lies inside the box, honouring antimeridian crossing.
    pub fn contains(&self, p: LonLat) -> bool {
        let in_lat = p.lat >= self.south && p.lat <= self.north;
        let in_lon = if self.crosses_antimeridian() {
            p.lon >= self.west || p.lon <= self.east
        } else {
            p.lon >= self.west && p.lon <= self.east
        };
        in_lat && in_lon
    }

    /// East-west extent.
    ///
    /// # Units
    /// Degrees of longitude.
    pub fn width_deg(&self) -> f64 {
        if self.crosses_antimeridian() {
            self.east + 360.0 - self.west
        } else {
            self.east - self.west
        }
    }

    /// Rough diagonal size, used to tell a strait from an ocean.
    ///
    /// # Units
    /// Kilometres.
    pub fn diagonal_km(&self) -> f64 {
        let mid = (self.south + self.north) / 2.0;
        let w = self.width_deg() * 111.32 * mid.to_radians().cos().abs();
        let h = (self.north - self.south) * 110.57;
        (w * w + h * h).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_between_moscow_and_beijing() {
        let moscow = LonLat::new(37.62, 55.75);
        let beijing = LonLat::new(116.40, 39.90);
        let d = moscow.distance_km(beijing);
        assert!((d - 5800.0).abs() < 100.0, "{d}");
    }

    #[test]
    fn bbox_across_antimeridian() {
        let bering = BBox {
            west: 162.0,
            south: 51.0,
            east: -157.0,
            north: 66.0,
        };
        assert!(bering.crosses_antimeridian());
        assert!(bering.contains(LonLat::new(179.0, 58.0)));
        assert!(bering.contains(LonLat::new(-170.0, 58.0)));
        assert!(!bering.contains(LonLat::new(0.0, 58.0)));
        assert!((bering.width_deg() - 41.0).abs() < 1e-9);
    }
}
