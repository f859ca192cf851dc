import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A signing secret of an endpoint; after a rotation the old one signs until `expires_at`. */
@Entity({ name: 'endpoint_secrets' })
export class EndpointSecretEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  endpoint_id!: string;

  /** Sealed (base64 of IV, ciphertext and tag) under `key_id`; plaintext where that is null. */
  @Column({ type: 'text' })
  secret!: string;

  @Column({ type: 'text', nullable: true })
  key_id!: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  created_at!: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  expires_at!: Date | null;
}
