// Type declarations for the parts of citation-js (0.7, which runs on Node 20) that Dossier uses.
declare module '@citation-js/core' {
  export interface CslName {
    given?: string;
    family?: string;
    literal?: string;
  }
  export interface CslItem {
    id: string;
    type: string;
    title?: string;
    'container-title'?: string;
    publisher?: string;
    issued?: { 'date-parts': number[][] };
    URL?: string;
    author?: CslName[];
    [key: string]: unknown;
  }
  export class Cite {
    constructor(data: unknown, options?: unknown);
    data: CslItem[];
    format(format: 'bibliography', options?: { format?: 'text' | 'html'; template?: string; lang?: string }): string;
    format(format: 'bibtex' | 'biblatex', options?: { format?: 'text' }): string;
    format(format: 'data', options?: { format?: 'text' | 'object' }): string;
  }
  export const plugins: {
    config: { get(name: '@csl'): { templates: { add(name: string, xml: string): void; has(name: string): boolean } } };
  };
}
declare module '@citation-js/plugin-csl';
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/name' {
  export function parse(name: string): { given?: string; family?: string; suffix?: string };
}
