import type { Point } from './rasterize.js';

export interface Size {
  width: number;
  height: number;
}

/**
 * Maps a point on the displayed (CSS-scaled) image to the image's natural pixel grid, so the mask is
 * always painted at the size the API expects whatever the zoom or screen.
 */
export function displayToImage(point: Point, displaySize: Size, imageSize: Size): Point {
  return {
    x: (point.x * imageSize.width) / displaySize.width,
    y: (point.y * imageSize.height) / displaySize.height,
  };
}

/** A brush radius chosen in display pixels, in image pixels (uses the horizontal scale). */
export function displayRadiusToImage(radius: number, displaySize: Size, imageSize: Size): number {
  return (radius * imageSize.width) / displaySize.width;
}
