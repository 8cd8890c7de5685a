import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  getForgeClientToken,
  HttpStatusException,
  InjectForgeClient,
  RequestForgeModule,
} from 'nestjs-request-forge';
import { ForgeClientStub } from 'nestjs-request-forge/testing';

interface Order {
  id: string;
  total: number;
}

@Injectable()
export class OrdersService {
  constructor(@InjectForgeClient('orders') private readonly orders: ForgeClient) {}

  async list(): Promise<Order[]> {
    return (await lastValueFrom(this.orders.get<Order[]>('/orders', { params: { page: 1 } }))).data;
  }

  async find(id: string): Promise<Order | undefined> {
    try {
      return (await lastValueFrom(this.orders.get<Order>(`/orders/${id}`))).data;
    } catch (error) {
      if (error instanceof HttpStatusException && error.status === 404) return undefined;
      throw error;
    }
  }
}

describe('OrdersService', () => {
  let stub: ForgeClientStub;
  let orders: OrdersService;

  beforeEach(async () => {
    // The route registered last wins: general routes first, then the special cases.
    stub = new ForgeClientStub()
      .on('GET', '/orders', { status: 200, data: [{ id: 'o-1', total: 42 }] })
      .on('GET', /^\/orders\/o-\d+$/, (call) => ({
        data: { id: call.url.split('/').pop(), total: 1 },
      }))
      .on('GET', '/orders/o-404', { status: 404, data: { message: 'no such order' } });
    // The app module as it is, with the client swapped: no token endpoint, no network.
    const moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: { orders: { baseUrl: 'https://orders.example.com' } },
        }),
      ],
      providers: [OrdersService],
    })
      .overrideProvider(getForgeClientToken('orders'))
      .useValue(stub)
      .compile();
    orders = moduleRef.get(OrdersService);
  });

  it('lists the orders of the first page', async () => {
    await expect(orders.list()).resolves.toEqual([{ id: 'o-1', total: 42 }]);
    expect(stub.calls).toEqual([
      { method: 'GET', url: '/orders', params: { page: 1 }, data: undefined, headers: {} },
    ]);
  });

  it('turns a 404 into undefined: the stub raises the HttpStatusException a real client does', async () => {
    await expect(orders.find('o-404')).resolves.toBeUndefined();
    await expect(orders.find('o-7')).resolves.toEqual({ id: 'o-7', total: 1 });
  });

  it('names a request nothing answers', async () => {
    stub.reset();
    await expect(orders.list()).rejects.toThrow('nothing answers GET /orders');
  });
});
