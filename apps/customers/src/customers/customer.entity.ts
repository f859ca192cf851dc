import { Column, Entity } from 'typeorm';
import { MerchantOwnedEntity } from '@finfusion/runtime';
import type { CustomerState } from './domain/customer';

@Entity({ name: 'customers' })
export class CustomerEntity extends MerchantOwnedEntity implements CustomerState {
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'integer' })
  version!: number;
}
