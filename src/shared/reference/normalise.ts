/**
 * Plain addresses are matched after normalising (reference/README.md "Looking an addressee up"):
 * drop a trailing precedence and serial, read `WASHDC` as `WASHINGTON DC`, collapse spaces.
 */
export function normalisePla(pla: string): string {
  return pla
    .toUpperCase()
    .replace(/\s+(?:NIACT\s+)?(?:IMMEDIATE|PRIORITY|PIORITY|ROUTINE|FLASH)\b.*$/, '')
    .replace(/\s+\d{3,5}$/, '')
    .replace(/\bWASHDC\b/g, 'WASHINGTON DC')
    .replace(/\bWASHINGTON\s+D\.?\s?C\.?/g, 'WASHINGTON DC')
    .replace(/[^A-Z0-9/&' -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const PLA_PREFIXES = /^(?:AMEMBASSY|AMCONSUL|AMCONSULATE|USMISSION|USINT|USLO|USOFFICE|USDEL|AIT|REO|RRT|PRT|APP|USEU|IRAN RPO|RPO)\s+/;

/** `AMEMBASSY BUENOS AIRES` -> `BUENOSAIRES`: the station part of an id. */
export function stationOfPla(pla: string): string {
  return normalisePla(pla).replace(PLA_PREFIXES, '').replace(/[^A-Z]/g, '');
}
