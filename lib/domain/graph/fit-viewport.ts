/** Where a laid-out graph first shows in its box: pan offset and zoom, as React Flow's viewport. */
export interface FitViewport {
  x: number;
  y: number;
  zoom: number;
}

export interface FitOptions {
  /** Space kept between the box edge and the graph. */
  pad: number;
  /** Never zoom in further than this, however small the graph. */
  maxZoom: number;
  /** Below this zoom labels are unreadable: the graph stays at it and is panned instead. */
  readableZoom: number;
  /** Centre the graph horizontally when it fits (else it starts at the left edge). */
  centerX: boolean;
  /** When the graph is too big to fit, start at the top instead of centring vertically. */
  topWhenPanned: boolean;
}

/** Fits a graph of `size` into a `box`, but never below a readable zoom: a wide graph on a phone starts at its left end. */
export function fitViewport(
  size: { width: number; height: number },
  box: { width: number; height: number },
  o: FitOptions,
): FitViewport {
  const zoom = Math.min(
    o.maxZoom,
    (box.width - 2 * o.pad) / Math.max(size.width, 1),
    (box.height - 2 * o.pad) / Math.max(size.height, 1),
  );
  const panned = zoom < o.readableZoom;
  const z = Math.max(o.readableZoom, zoom);
  const x = o.centerX && !panned ? (box.width - size.width * z) / 2 : o.pad;
  const y = o.topWhenPanned && panned ? o.pad : Math.max(o.pad, (box.height - size.height * z) / 2);
  return { x, y, zoom: z };
}
