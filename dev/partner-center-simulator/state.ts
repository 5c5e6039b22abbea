import { partnerCenterDate, qualificationKeyOf } from './vocabulary.js';
import { SEEDED_VALIDATION_CODES, seededCustomers, type SeededCustomer } from './seed.js';
import type { Customer, CustomerView, StoredQualification, ValidationCode } from './types.js';
import type { SimulatorSettings } from './settings.js';
import { settleOverdue } from './vetting.js';

/** Customers and validation codes, in memory; one customer is one Map lookup. */
export class SimulatorState {
  private readonly customers = new Map<string, Customer>();
  private readonly codes = new Map<string, ValidationCode>();

  constructor(
    private readonly now: () => Date,
    private readonly settings: Readonly<SimulatorSettings>,
  ) {
    this.reset();
  }

  reset(): void {
    this.customers.clear();
    this.codes.clear();
    const now = this.now();
    this.addCustomers(seededCustomers(now, partnerCenterDate(now)));
    for (const code of SEEDED_VALIDATION_CODES) {
      this.codes.set(code.validationId.toLowerCase(), { ...code });
    }
  }

  /** `id` must already be lower case. Overdue vetting is decided on the way out. */
  customer(id: string): Customer | undefined {
    const customer = this.customers.get(id);
    if (customer !== undefined) this.settle(customer);
    return customer;
  }

  hasCustomer(id: string): boolean {
    return this.customers.has(id);
  }

  allCustomers(): Customer[] {
    const all = [...this.customers.values()];
    for (const customer of all) this.settle(customer);
    return all;
  }

  addCustomers(entries: readonly SeededCustomer[]): void {
    for (const entry of entries) {
      const qualifications = new Map<string, StoredQualification>();
      for (const item of entry.qualifications) {
        qualifications.set(qualificationKeyOf(item.qualification), item);
      }
      this.customers.set(entry.id, {
        id: entry.id,
        qualifications,
        commerceRelationship: entry.commerceRelationship,
      });
    }
  }

  validationCodes(): ValidationCode[] {
    return [...this.codes.values()].map((code) => ({ ...code }));
  }

  /** The live record, so a create can consume from it. */
  validationCode(validationId: string): ValidationCode | undefined {
    return this.codes.get(validationId.toLowerCase());
  }

  /** The wire shape: SOE has no vetting fields, and the date key may carry the doc typo. */
  view(item: StoredQualification): Record<string, string> {
    const out: Record<string, string> = { qualification: item.qualification };
    if (item.vettingStatus !== undefined) out.vettingStatus = item.vettingStatus;
    if (item.vettingReason !== undefined) out.vettingReason = item.vettingReason;
    if (item.vettingCreateDate !== undefined) {
      const key = this.settings.emitVettingCreatedDate ? 'vettingCreatedDate' : 'vettingCreateDate';
      out[key] = item.vettingCreateDate;
    }
    return out;
  }

  qualificationsView(customer: Customer): Record<string, string>[] {
    return [...customer.qualifications.values()].map((item) => this.view(item));
  }

  customerView(customer: Customer): CustomerView {
    const view: CustomerView = {
      customerId: customer.id,
      qualifications: this.qualificationsView(customer),
    };
    if (!customer.commerceRelationship) view.commerceRelationship = false;
    return view;
  }

  private settle(customer: Customer): void {
    settleOverdue(
      customer.id,
      customer.qualifications.values(),
      this.now().getTime(),
      this.settings.vettingDelaySeconds,
    );
  }
}
