import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScopes, conflict } from '@burndown/http';
import {
  DEFAULT_REVENUE_ACCOUNTS,
  deferredWaterfall,
  monthOf,
  journalEntries,
  monthlyRevenue,
  type RevenueMovement,
} from '@burndown/invoicing-domain';
import { BURNDOWN_CONFIG, type BurndownConfig } from '@burndown/runtime';
import { READ_STORE, type FieldValue, type ReadStore } from '@burndown/ports';
import { journalCsv } from './journal-csv';
import { REVENUE_LINES, lineOfDocument } from './revenue-documents';
import { RevenuePeriods } from './revenue-periods';
import { ClosePeriodDto, JournalQuery, RevenueReportQuery } from './revenue.dto';

const PAGE = 1_000;

/** Revenue by cost basis: a customer's months, and closing them. Amounts in minor units. */
@ApiTags('revenue')
@Controller('v1/revenue')
export class RevenueController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly periods: RevenuePeriods,
    @Inject(BURNDOWN_CONFIG) private readonly config: Pick<BurndownConfig, 'revenueAccounts'>,
  ) {}

  /**
   * Per currency and month: opening deferred, purchased, recognised, breakage, refunded, closing
   * deferred (minor units, as strings), and how many lines of a closed month were booked late.
   */
  @Get('customers/:customerId')
  @RequireScopes('read')
  async customer(@Param('customerId') customerId: string, @Query() query: RevenueReportQuery) {
    const lines = await this.lines({ customerId });
    const months = monthlyRevenue(lines, query.through).filter(
      (row) => query.through === undefined || row.month <= query.through,
    );
    return {
      customerId,
      closedThrough: await this.periods.closedThrough(),
      months: months.map((row) => ({
        currency: row.currency,
        month: row.month,
        openingDeferred: row.openingDeferred.toString(),
        purchased: row.purchased.toString(),
        recognised: row.recognised.toString(),
        breakage: row.breakage.toString(),
        refunded: row.refunded.toString(),
        closingDeferred: row.closingDeferred.toString(),
        lateLines: row.lateLines,
      })),
    };
  }

  /**
   * What is still deferred of the credits bought in each month, at the end of every month since
   * (through `through`, default the current month), per currency, in minor units.
   */
  @Get('customers/:customerId/waterfall')
  @RequireScopes('read')
  async waterfall(@Param('customerId') customerId: string, @Query() query: RevenueReportQuery) {
    const through = query.through ?? monthOf(new Date());
    const rows = deferredWaterfall(await this.lines({ customerId }), through);
    return {
      customerId,
      through,
      rows: rows.map((row) => ({
        currency: row.currency,
        purchasedIn: row.purchasedIn,
        purchased: row.purchased.toString(),
        deferredAtEndOf: row.deferredAtEndOf.map(({ month, deferred }) => ({
          month,
          deferred: deferred.toString(),
        })),
      })),
    };
  }

  /**
   * The journal of one month as CSV: every line booked in it as a double entry, debit then
   * credit, to the accounts of BURNDOWN_REVENUE_ACCOUNTS (defaults in the README).
   */
  @Get('journal')
  @RequireScopes('read')
  @Header('content-type', 'text/csv; charset=utf-8')
  async journal(@Query() query: JournalQuery) {
    const accounts = { ...DEFAULT_REVENUE_ACCOUNTS, ...this.config.revenueAccounts };
    const lines = (await this.lines({ month: query.month })).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    return journalCsv(journalEntries(lines, accounts));
  }

  @Get('periods')
  @RequireScopes('read')
  async closed() {
    return { closedThrough: await this.periods.closedThrough() };
  }

  /** Locks the month and every month before it: lines dated in them go to the first open month. */
  @Post('periods/close')
  @HttpCode(200)
  @RequireScopes('admin')
  async close(@Body() body: ClosePeriodDto) {
    const closed = await this.periods.closedThrough();
    if (closed !== null && body.month < closed)
      throw conflict(
        `months through ${closed} are closed already; closing only moves forward`,
        'month',
      );
    if (closed !== body.month) await this.periods.close(body.month);
    return { closedThrough: body.month };
  }

  private async lines(where: Readonly<Record<string, FieldValue>>): Promise<RevenueMovement[]> {
    const lines: RevenueMovement[] = [];
    let after: string | undefined;
    do {
      const page = await this.readStore.find(REVENUE_LINES, {
        where,
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      });
      for (const { id, document } of page.items) lines.push(lineOfDocument(id, document));
      after = page.nextCursor;
    } while (after !== undefined);
    return lines;
  }
}
