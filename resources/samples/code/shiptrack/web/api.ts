// HTTP client for the shiptrack API, used by the dashboard.

export interface ShipmentView {
  id: string;
  status: "created" | "in_transit" | "customs" | "delivered";
  etaIso: string | null;
}

export class ApiClient {
  private token: string | null = null;
  private tokenExpiry = 0;

  constructor(private readonly baseUrl: string, private readonly login: () => Promise<string>) {}

  // Fetches a shipment, refreshing the bearer token when it is about to expire.
  async shipment(id: string): Promise<ShipmentView> {
    const response = await fetch(`${this.baseUrl}/shipments/${encodeURIComponent(id)}`, {
      headers: { Authorization: `Bearer ${await this.bearer()}` },
    });
    if (!response.ok) {
      throw new Error(`shipment ${id}: HTTP ${response.status}`);
    }
    return (await response.json()) as ShipmentView;
  }

  private async bearer(): Promise<string> {
    const now = Date.now() / 1000;
    if (this.token === null || now > this.tokenExpiry - 60) {
      this.token = await this.login();
      this.tokenExpiry = Number(this.token.split(".")[1]);
    }
    return this.token;
  }
}
