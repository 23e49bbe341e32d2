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
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ProblemException,
  RequireScopes,
  Responds,
  conflict,
  CustomerIdParam,
  ForCustomer,
} from '@burndown/http';
import { MESSAGE_BUS, consumerConfigs, type MessageBus } from '@burndown/ports';
import { RevenuePeriods } from './revenue-periods';
import { RevenueReports } from './revenue-reports';
import {
  CUSTOMER_REVENUE,
  JOURNAL_CSV,
  REVENUE_PERIOD_CLOSED,
  REVENUE_PERIODS,
  REVENUE_WATERFALL,
} from './revenue-responses.schemas';
import { ClosePeriodDto, JournalQuery, RevenueReportQuery } from './revenue.dto';

/** How long closing a month waits for the journal to take in what the wallets published. */
const JOURNAL_CATCH_UP_TIMEOUT_MS = 30_000;

/** Revenue by cost basis: a customer's months and waterfall, the journal, closing months. */
@ApiTags('revenue')
@Controller('v1/revenue')
export class RevenueController {
  constructor(
    private readonly reports: RevenueReports,
    private readonly periods: RevenuePeriods,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  /**
   * Per currency and month: opening deferred, purchased, recognised, breakage, refunded, closing
   * deferred (minor units, as strings), and how many movements of a closed month were booked late;
   * beside them, the overage its subscriptions' periods settled (invoiced or written off).
   */
  @Get('customers/:customerId')
  @ForCustomer('customerId')
  @RequireScopes('read')
  @ApiOperation({ summary: "A customer's revenue and settled overage, per currency and month" })
  @Responds(200, CUSTOMER_REVENUE)
  async customer(@Param() { customerId }: CustomerIdParam, @Query() query: RevenueReportQuery) {
    return {
      customerId,
      closedThrough: await this.periods.closedThrough(),
      months: await this.reports.months(customerId, query.through),
      overage: await this.reports.overage(customerId, query.through),
    };
  }

  /**
   * What is still deferred of the credits bought in each month, at the end of every month since
   * (through `through`, default the current month), per currency, in minor units.
   */
  @Get('customers/:customerId/waterfall')
  @ForCustomer('customerId')
  @RequireScopes('read')
  @ApiOperation({ summary: "A customer's deferred-revenue waterfall" })
  @Responds(200, REVENUE_WATERFALL)
  async waterfall(@Param() { customerId }: CustomerIdParam, @Query() query: RevenueReportQuery) {
    return { customerId, ...(await this.reports.waterfall(customerId, query.through)) };
  }

  /**
   * The journal of one month as CSV: every line booked in it as a double entry, debit then
   * credit, to the accounts of BURNDOWN_REVENUE_ACCOUNTS (defaults in the README).
   */
  @Get('journal')
  @RequireScopes('read')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: "A month's revenue journal, as CSV" })
  @Responds(200, JOURNAL_CSV, 'The journal of the month')
  journal(@Query() query: JournalQuery) {
    return this.reports.journal(query.month);
  }

  @Get('periods')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Which months are closed' })
  @Responds(200, REVENUE_PERIODS)
  async closed() {
    return { closedThrough: await this.periods.closedThrough() };
  }

  /**
   * Locks the month and every month before it: lines dated in them go to the first open month.
   * The journal first takes in every wallet event already on the bus (it takes them on a cadence),
   * so what wallets burned before the request is booked in its own month.
   */
  @Post('periods/close')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Close a month and every month before it' })
  @Responds(200, REVENUE_PERIOD_CLOSED, 'The months closed')
  async close(@Body() body: ClosePeriodDto) {
    const closed = await this.periods.closedThrough();
    if (closed !== null && body.month < closed)
      throw conflict(
        `months through ${closed} are closed already; closing only moves forward`,
        'month',
      );
    if (closed !== body.month) {
      await this.journalCaughtUp();
      await this.periods.close(body.month);
    }
    return { closedThrough: body.month };
  }

  /** The journal takes wallet events in batches: what wallets burned before this request goes in first. */
  private async journalCaughtUp(): Promise<void> {
    const { stream, durableName } = consumerConfigs.invoicingRevenue;
    if (await this.bus.caughtUp(stream, durableName, JOURNAL_CATCH_UP_TIMEOUT_MS)) return;
    throw new ProblemException({
      status: 503,
      type: 'journal-behind',
      title: 'The revenue journal is behind the wallets',
      detail: `the journal has not taken in every wallet event within ${JOURNAL_CATCH_UP_TIMEOUT_MS / 1_000} s; nothing was closed, retry shortly`,
      headers: { 'Retry-After': '5' },
    });
  }
}
