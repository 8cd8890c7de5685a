import { Injectable } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, InjectForgeClient } from 'nestjs-request-forge';

export interface Order {
  id: string;
}

@Injectable()
export class OrdersService {
  constructor(@InjectForgeClient('orders') private readonly orders: ForgeClient) {}

  async list(): Promise<Order[]> {
    const response = await lastValueFrom(this.orders.get<Order[]>('/orders'));
    return response.data;
  }
}
