//! Label placement: each label tries eight positions around its anchor, in
//! order of preference, and takes the first that collides with nothing already
//! placed (labels, markers, the title, legend and other furniture). Labels are
//! placed in priority order, so the ones that do not fit are the least important.

/// An axis-aligned box in pixels, `x1`/`y1` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Bounds {
    pub fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Bounds {
        Bounds { x0, y0, x1, y1 }
    }

    /// True when the boxes share any area.
    pub fn intersects(&self, o: &Bounds) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn inside(&self, w: i32, h: i32) -> bool {
        self.x0 >= 0 && self.y0 >= 0 && self.x1 <= w && self.y1 <= h
    }
}

const CELL: i32 = 64;

/// Occupied boxes with a uniform grid index, so placing n labels is about linear.
pub struct Occupancy {
    w: i32,
    h: i32,
    cols: i32,
    rows: i32,
    cells: Vec<Vec<u32>>,
    boxes: Vec<Bounds>,
}

impl Occupancy {
    pub fn new(w: u32, h: u32) -> Occupancy {
        let (w, h) = (w as i32, h as i32);
        let cols = (w + CELL - 1) / CELL;
        let rows = (h + CELL - 1) / CELL;
        Occupancy {
            w,
            h,
            cols,
            rows,
            cells: vec![Vec::new(); (cols * rows) as usize],
            boxes: Vec::new(),
        }
    }

    fn cell_range(&self, b: &Bounds) -> (i32, i32, i32, i32) {
        (
            (b.x0 / CELL).clamp(0, self.cols - 1),
            ((b.x1 - 1) / CELL).clamp(0, self.cols - 1),
            (b.y0 / CELL).clamp(0, self.rows - 1),
            ((b.y1 - 1) / CELL).clamp(0, self.rows - 1),
        )
    }

    /// True when `b` overlaps something already occupied.
    pub fn collides(&self, b: &Bounds) -> bool {
        let (c0, c1, r0, r1) = self.cell_range(b);
        for r in r0..=r1 {
            for c in c0..=c1 {
                for &i in &self.cells[(r * self.cols + c) as usize] {
                    if self.boxes[i as usize].intersects(b) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Marks `b` as occupied.
    pub fn add(&mut self, b: Bounds) {
        if b.x1 <= 0 || b.y1 <= 0 || b.x0 >= self.w || b.y0 >= self.h {
            return;
        }
        let i = self.boxes.len() as u32;
        self.boxes.push(b);
        let (c0, c1, r0, r1) = self.cell_range(&b);
        for r in r0..=r1 {
            for c in c0..=c1 {
                self.cells[(r * self.cols + c) as usize].push(i);
            }
        }
    }

    /// Tries the eight positions around a marker of radius `r` at (x, y) for a
    /// `tw`×`th` label; returns the top-left corner and box of the first free one.
    pub fn place_around(&mut self, x: i32, y: i32, r: i32, tw: i32, th: i32) -> Option<Bounds> {
        // Clear of the marker's own box (radius + 2) and the label's halo margin (3).
        let g = r + 7;
        let d = r + 6;
        // Preference: right, top-right, bottom-right, left, top-left, bottom-left, top, bottom.
        let candidates = [
            (x + g, y - th / 2),
            (x + d, y - d - th),
            (x + d, y + d),
            (x - g - tw, y - th / 2),
            (x - d - tw, y - d - th),
            (x - d - tw, y + d),
            (x - tw / 2, y - g - th),
            (x - tw / 2, y + g),
        ];
        for (lx, ly) in candidates {
            if let Some(b) = self.try_box(lx, ly, tw, th) {
                return Some(b);
            }
        }
        None
    }

    /// Places a label centred on (x, y) if it is free.
    pub fn place_centred(&mut self, x: i32, y: i32, tw: i32, th: i32) -> Option<Bounds> {
        self.try_box(x - tw / 2, y - th / 2, tw, th)
    }

    fn try_box(&mut self, lx: i32, ly: i32, tw: i32, th: i32) -> Option<Bounds> {
        // The box includes the halo (2 px) and a 1 px gap.
        let b = Bounds::new(lx - 3, ly - 3, lx + tw + 3, ly + th + 3);
        if b.inside(self.w, self.h) && !self.collides(&b) {
            self.add(b);
            Some(b)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_labels_never_overlap() {
        let mut occ = Occupancy::new(400, 300);
        let mut placed = Vec::new();
        for i in 0..500 {
            let (x, y) = ((i * 37) % 400, (i * 53) % 300);
            if let Some(b) = occ.place_around(x, y, 4, 60, 14) {
                placed.push(b);
            }
        }
        assert!(placed.len() > 20);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.intersects(b), "{a:?} {b:?}");
            }
        }
    }
}
