'use strict';
// Hardware facts of the fake Mac, derived from world.appleSilicon and world.model.
// Values are representative (reference/macos-commands.md §2); unknown model identifiers
// fall back to the first model of the right architecture with the identifier swapped in.

const APPLE_SILICON = {
  'MacBookAir10,1': { name: 'MacBook Air', chip: 'Apple M1', board: 'J313AP', target: 'J313', platform: 't8103', cores: '8 (4 performance and 4 efficiency)', proc: 'proc 8:4:4', memory: '16 GB', firmware: '7459.101.3', udidPrefix: '00008103' },
  'Mac14,2': { name: 'MacBook Air', chip: 'Apple M2', board: 'J413AP', target: 'J413', platform: 't8112', cores: '8 (4 performance and 4 efficiency)', proc: 'proc 8:4:4', memory: '16 GB', firmware: '11881.101.1', udidPrefix: '00008112' },
  'Mac15,3': { name: 'MacBook Pro', chip: 'Apple M3', board: 'J504AP', target: 'J504', platform: 't8122', cores: '8 (4 performance and 4 efficiency)', proc: 'proc 8:4:4', memory: '16 GB', firmware: '11881.101.1', udidPrefix: '00008122' },
};

const INTEL = {
  'MacBookPro16,1': { name: 'MacBook Pro', processor: '8-Core Intel Core i9', speed: '2.3 GHz', brand: 'Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz', cores: 8, memory: '16 GB', firmware: '1916.80.2.0.0 (iBridge: 20.16.4252.0.0,0)', boardId: 'Mac-E1008331FDC96864' },
  'Macmini8,1': { name: 'Mac mini', processor: '6-Core Intel Core i7', speed: '3.2 GHz', brand: 'Intel(R) Core(TM) i7-8700B CPU @ 3.20GHz', cores: 6, memory: '16 GB', firmware: '1916.80.2.0.0 (iBridge: 20.16.4252.0.0,0)', boardId: 'Mac-7BA5B2DFE22DDD8C' },
};

function hardware(world) {
  const table = world.appleSilicon ? APPLE_SILICON : INTEL;
  const id = world.model;
  const base = table[id] || Object.values(table)[0];
  const udid = world.provisioningUDID ||
    (world.appleSilicon ? `${base.udidPrefix}-00${hex16(world.serialNumber)}` : world.hardwareUUID);
  return Object.assign({}, base, { identifier: id, provisioningUDID: udid });
}

/** 14 upper-case hex digits derived from a string (a stable, fake ECID). */
function hex16(text) {
  let h = 0xcbf29ce484222325n;
  for (const ch of String(text)) {
    h ^= BigInt(ch.codePointAt(0));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).toUpperCase().padStart(16, '0').slice(2);
}

module.exports = { hardware };
