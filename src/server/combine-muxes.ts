// Several non-REST muxes served as one (each answers the paths it owns).
import type { NonRestMux } from './director.js';

export function combineMuxes(muxes: NonRestMux[]): NonRestMux {
  return {
    owns: (path) => muxes.some((m) => m.owns(path)),
    handle: (ctx, next) => {
      const owner = muxes.find((m) => m.owns(ctx.path));
      return owner ? owner.handle(ctx, next) : next();
    },
  };
}
