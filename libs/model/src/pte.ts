// A PTE value packed into one int, so that a PTE is one slot of the state vector.
// bits 0-2 kind, bit 3 writable (present / device-private), bits 4-5 migration entry type,
// bit 6 young, bit 7 dirty, bits 8+ pfn (index of the page in the world's page table).

export const PteKind = {
  none: 0,
  present: 1,
  migration: 2,
  swap: 3,
  devicePrivate: 4,
  marker: 5,
} as const;
export type PteKindName = keyof typeof PteKind;
export const pteKindNames = Object.keys(PteKind) as PteKindName[];

/** make_{readable,writable,readable_exclusive}_migration_entry() */
export const MigrationType = { read: 0, write: 1, readExclusive: 2 } as const;
export type MigrationTypeName = keyof typeof MigrationType;
const migrationTypeNames = Object.keys(MigrationType) as MigrationTypeName[];

const KIND_MASK = 0b111;
const WRITABLE = 1 << 3;
const MIG_SHIFT = 4;
const YOUNG = 1 << 6;
const DIRTY = 1 << 7;
const PFN_SHIFT = 8;

export const PTE_NONE = 0;

export const pteKind = (v: number): number => v & KIND_MASK;
export const ptePfn = (v: number): number => v >>> PFN_SHIFT;
export const pteWritable = (v: number): boolean => (v & WRITABLE) !== 0;
export const pteMigrationType = (v: number): number => (v >>> MIG_SHIFT) & 0b11;
export const isMigrationEntry = (v: number): boolean => (v & KIND_MASK) === PteKind.migration;

export function makePresent(pfn: number, writable: boolean, young = false, dirty = false): number {
  return PteKind.present | (writable ? WRITABLE : 0) | (young ? YOUNG : 0) | (dirty ? DIRTY : 0) | (pfn << PFN_SHIFT);
}

/** try_to_migrate_one(): the entry type follows the old PTE's write bit; young/dirty are kept. */
export function makeMigrationFrom(old: number, pfn: number): number {
  const type = pteWritable(old) ? MigrationType.write : MigrationType.read;
  return PteKind.migration | (type << MIG_SHIFT) | (old & (YOUNG | DIRTY)) | (pfn << PFN_SHIFT);
}

/** remove_migration_pte(): a write migration entry restores a writable PTE. */
export function makePresentFromMigration(entry: number, pfn: number): number {
  const writable = pteMigrationType(entry) === MigrationType.write;
  return PteKind.present | (writable ? WRITABLE : 0) | (entry & (YOUNG | DIRTY)) | (pfn << PFN_SHIFT);
}

export function makeDevicePrivate(pfn: number, writable: boolean): number {
  return PteKind.devicePrivate | (writable ? WRITABLE : 0) | (pfn << PFN_SHIFT);
}

/** A PTE value as a kernel developer writes it: `none`, `present(P,w)`, `migration(P,write)`. */
export function formatPte(v: number, pageName: (pfn: number) => string = String): string {
  const kind = pteKind(v);
  const pfn = pageName(ptePfn(v));
  switch (kind) {
    case PteKind.none:
      return 'none';
    case PteKind.present:
      return `present(${pfn}${pteWritable(v) ? ',w' : ',r'})`;
    case PteKind.migration:
      return `migration(${pfn},${migrationTypeNames[pteMigrationType(v)]})`;
    case PteKind.devicePrivate:
      return `device_private(${pfn}${pteWritable(v) ? ',w' : ',r'})`;
    default:
      return `${pteKindNames[kind]}(${pfn})`;
  }
}

/** The JSON form used in scenario declarations and API answers. */
export interface PteJson {
  kind: PteKindName;
  page?: string;
  writable?: boolean;
  type?: MigrationTypeName;
}

export function pteToJson(v: number, pageName: (pfn: number) => string): PteJson {
  const kind = pteKindNames[pteKind(v)];
  if (kind === 'none') return { kind };
  const out: PteJson = { kind, page: pageName(ptePfn(v)) };
  if (kind === 'migration') out.type = migrationTypeNames[pteMigrationType(v)];
  else out.writable = pteWritable(v);
  return out;
}

export function pteFromJson(j: PteJson, pageIndex: (name: string) => number): number {
  const pfn = j.page === undefined ? 0 : pageIndex(j.page);
  switch (j.kind) {
    case 'none':
      return PTE_NONE;
    case 'present':
      return makePresent(pfn, j.writable ?? true);
    case 'migration':
      return PteKind.migration | (MigrationType[j.type ?? 'write'] << MIG_SHIFT) | (pfn << PFN_SHIFT);
    case 'devicePrivate':
      return makeDevicePrivate(pfn, j.writable ?? true);
    default:
      return PteKind[j.kind] | (pfn << PFN_SHIFT);
  }
}
