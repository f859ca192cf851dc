import { Module } from '@nestjs/common';
import { CardSealer } from './card-sealer';
import { PaymentsController } from './payments.controller';
import { ReportsController } from './reports.controller';

@Module({ controllers: [PaymentsController, ReportsController], providers: [CardSealer] })
export class PaymentsModule {}
