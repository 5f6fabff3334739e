import type { Router } from 'express';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import type { Logger } from '../logger';
import type { AccessService } from '../auth/access.service';
import type { ContactRepository } from '../contacts/contact.repository';
import type { BusinessHoursService } from '../business-hours/business-hours.service';
import type { JobQueue } from '../jobs/job-queue';
import type { JobWorker } from '../jobs/worker';
import { CrmSettingsStore } from '../crm/crm-settings';
import { OrderService } from '../crm/order.service';
import { CLV_REFIT_JOB, ClvService } from '../crm/clv.service';
import { MergeService } from '../crm/merge.service';
import { ReportService } from '../crm/report.service';
import { ChurnService } from '../crm/churn.service';
import { MessageVolumeFolder } from '../crm/volume-folder';
import { crmRoutes } from '../api/crm.controller';
import type { EventService } from '../events/event.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import { MERGE_SUGGEST_JOB, MergeSuggestionService } from '../crm/merge-suggestion.service';
import { OutreachService } from '../crm/outreach.service';
import { customerRoutes } from '../api/customers.controller';
import { orderImportRoutes } from '../api/order-import.controller';
import { CurrencySettingsStore } from '../crm/currency-settings';
import { OrderImportRunner } from '../crm/order-import.runner';
import { ORDER_IMPORT_JOB, OrderImportService } from '../crm/order-import.service';

/** The analytical CRM, composed: orders, customer value (nightly refit), merges, reports. */
export function crmModule(d: {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  logger: Logger;
  access: AccessService;
  contactRepo: ContactRepository;
  hours: BusinessHoursService;
  jobs: JobQueue;
  worker: JobWorker;
  events: EventService;
  conversationRepo: ConversationRepository;
}) {
  const settings = new CrmSettingsStore(d.db);
  const currencies = new CurrencySettingsStore(d.db);
  const orders = new OrderService(d.db, d.uow, settings, d.access, currencies);
  const runner = new OrderImportRunner(d.db, d.uow, settings, currencies);
  const imports = new OrderImportService(d.db, d.uow, orders, d.jobs, runner);
  d.worker.register(ORDER_IMPORT_JOB, imports.handler());
  const clv = new ClvService(d.db, d.uow, settings, d.jobs, d.clock, d.logger);
  const merges = new MergeService(d.uow, d.contactRepo, d.access, d.clock);
  const reports = new ReportService(d.db, d.access);
  const churn = new ChurnService(d.db, d.access);
  const volume = new MessageVolumeFolder(d.db, d.logger);
  const suggestions = new MergeSuggestionService(
    d.db,
    d.uow,
    d.contactRepo,
    d.access,
    merges,
    d.jobs,
    d.clock,
    d.logger,
  );
  const outreach = new OutreachService(d.uow, d.access, d.conversationRepo);
  d.worker.register(CLV_REFIT_JOB, clv.nightlyHandler());
  d.worker.register(MERGE_SUGGEST_JOB, suggestions.handler());
  // A contact that changed (or a new one) is looked at again a few seconds later.
  for (const name of ['contact.created', 'contact.updated'] as const)
    d.events.on(name, () => suggestions.changed());
  const routes: Router[] = [
    crmRoutes({ orders, clv, merges, reports, churn, settings, hours: d.hours, uow: d.uow }),
    customerRoutes({ suggestions, outreach }),
    orderImportRoutes({ imports, currencies, uow: d.uow }),
  ];
  return {
    orders,
    imports,
    clv,
    merges,
    reports,
    volume,
    suggestions,
    routes,
    /** Before the worker starts: the nightly refit is scheduled (once, whatever the instances). */
    async start(): Promise<void> {
      await clv.schedule();
      volume.start();
      await suggestions.schedule();
    },
    async stop(): Promise<void> {
      await volume.stop();
    },
  };
}
